/**
 * The parent side of the bench's protocol (`bench-child.ts`): forks a bench server, waits until it listens,
 * marks the measured window, collects its stats and stops it (asking first, then killing that one process).
 * The server's output is read, not shown: its warnings and errors are counted, and the first few kept, so
 * that a run which only looks fast because something failed quietly says so.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, ChildStats, ParentMessage } from './bench-child.js';

export type ServerKind = 'floor' | 'service' | 'queued' | 'sync-engine';

const SCRIPTS: Record<ServerKind, string> = {
  floor: 'floor-server.js',
  service: 'service-server.js',
  queued: 'queued-server.js',
  'sync-engine': 'sync-engine-server.js',
};

/** A log line at level WARN or ERROR (Nest's logger; colours stripped). */
const WARNING = /\b(WARN|ERROR)\b/;
// eslint-disable-next-line no-control-regex
const COLOURS = /\u001b\[[0-9;]*m/g;
const KEPT_WARNINGS = 5;

/** The warnings and errors a server logged: how many, and the first few. */
export interface ServerWarnings {
  count: number;
  first: string[];
}

/** Counts the WARN/ERROR lines of a stream of log text (lines may be split across chunks). */
export function warningCounter(): { feed(chunk: string): void; warnings: ServerWarnings } {
  const warnings: ServerWarnings = { count: 0, first: [] };
  let partial = '';
  return {
    warnings,
    feed(chunk) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const plain = line.replace(COLOURS, '');
        if (!WARNING.test(plain)) continue;
        warnings.count += 1;
        if (warnings.first.length < KEPT_WARNINGS) warnings.first.push(plain.trim().slice(0, 300));
      }
    },
  };
}

export class BenchServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly counter: ReturnType<typeof warningCounter>,
  ) {}

  /** What the server logged at WARN or ERROR so far. */
  get warnings(): ServerWarnings {
    return this.counter.warnings;
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(kind: ServerKind, env: Record<string, string>): Promise<BenchServer> {
    const script = new URL(`./${SCRIPTS[kind]}`, import.meta.url).pathname;
    const child = fork(script, [], {
      env: { ...process.env, ...env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const counter = warningCounter();
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => counter.feed(chunk));
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
      counter.feed(chunk.toString());
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not start in 120 s`)), 120_000);
      child.on('message', (message: ChildMessage) => {
        if ('ready' in message) {
          clearTimeout(timer);
          resolve(message.port);
        } else if ('failed' in message) {
          clearTimeout(timer);
          reject(new Error(`${kind} failed to start: ${message.failed}`));
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${kind} exited with ${code} before listening: ${stderr}`));
      });
    });
    return new BenchServer(child, port, counter);
  }

  private request<T>(
    message: ParentMessage,
    pick: (reply: ChildMessage) => T | undefined,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${message.cmd}`)), 60_000);
      const listener = (reply: ChildMessage): void => {
        if ('failed' in reply) {
          clearTimeout(timer);
          this.child.off('message', listener);
          reject(new Error(`${message.cmd} failed in the server: ${reply.failed}`));
          return;
        }
        const value = pick(reply);
        if (value === undefined) return;
        clearTimeout(timer);
        this.child.off('message', listener);
        resolve(value);
      };
      this.child.on('message', listener);
      this.child.send(message);
    });
  }

  /** The measured window starts now. */
  async mark(): Promise<void> {
    await this.request({ cmd: 'mark' }, (reply) => ('marked' in reply ? true : undefined));
  }

  stats(): Promise<ChildStats> {
    return this.request({ cmd: 'stats' }, (reply) => ('stats' in reply ? reply.stats : undefined));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ cmd: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}
