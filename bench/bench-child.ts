/**
 * The server side of the bench's protocol with the servers it measures, each a child process forked by
 * `server-process.ts` and talking over the IPC channel:
 * - child → parent `{ ready, port }` once the server listens on 127.0.0.1;
 * - parent → child `mark`: the measured window starts (CPU reference, query counts reset, CPU profile started
 *   when `BENCH_PROFILE_FILE` is set); the child answers `{ marked: true }`;
 * - parent → child `stats`: CPU used since the mark (`process.cpuUsage`), peak RSS, the `pg` queries sent
 *   since the mark by statement (when `BENCH_COUNT_QUERIES=1`), and the profile written;
 * - parent → child `stop`: the server closes and the process exits.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import pg from 'pg';

export interface ChildStats {
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMb: number;
  /** Normalised SQL → statements sent since the mark (empty unless counted). */
  queries: Record<string, number>;
  profileFile?: string;
}

export type ParentMessage = { cmd: 'mark' } | { cmd: 'stats' } | { cmd: 'stop' };
export type ChildMessage =
  { ready: true; port: number } | { marked: true } | { stats: ChildStats } | { failed: string };

const queries = new Map<string, number>();

/** Literal values and parameter numbers out, whitespace collapsed: one key per statement shape. */
export function normaliseSql(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\$\d+/g, '$?')
    .trim()
    .slice(0, 220);
}

/** Counts every statement any `pg` client of this process sends (one round trip each). */
function countQueries(): void {
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string } | undefined;
    const text = typeof config === 'string' ? config : config?.text;
    // Counted by the text as sent (cheap); normalised when reported.
    if (text) queries.set(text, (queries.get(text) ?? 0) + 1);
    return original.apply(this, args);
  };
}

function normalisedCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [text, count] of queries) {
    const key = normaliseSql(text);
    counts[key] = (counts[key] ?? 0) + count;
  }
  return counts;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Runs a bench server in this (child) process until the parent says stop. */
export async function serveBenchChild(
  start: () => Promise<{ port: number; close: () => Promise<void> }>,
): Promise<void> {
  if (!process.send) throw new Error('A bench server runs as a child process of the bench');
  if (process.env.BENCH_COUNT_QUERIES === '1') countQueries();
  const profileFile = process.env.BENCH_PROFILE_FILE;
  let session: Session | undefined;
  let cpuMark = process.cpuUsage();
  let server: { port: number; close: () => Promise<void> };
  try {
    server = await start();
  } catch (error) {
    send({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
  process.on('message', (message: ParentMessage) => {
    (async () => {
      if (message.cmd === 'mark') {
        queries.clear();
        cpuMark = process.cpuUsage();
        if (profileFile) {
          session = new Session();
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 500 });
          await session.post('Profiler.start');
        }
        send({ marked: true });
      } else if (message.cmd === 'stats') {
        const cpu = process.cpuUsage(cpuMark);
        let written: string | undefined;
        if (session && profileFile) {
          const { profile } = await session.post('Profiler.stop');
          await writeFile(profileFile, JSON.stringify(profile));
          session.disconnect();
          session = undefined;
          written = profileFile;
        }
        send({
          stats: {
            cpuUserMs: cpu.user / 1000,
            cpuSystemMs: cpu.system / 1000,
            peakRssMb: process.resourceUsage().maxRSS / 1024,
            queries: normalisedCounts(),
            profileFile: written,
          },
        });
      } else if (message.cmd === 'stop') {
        await server.close();
        process.exit(0);
      }
    })().catch((error: unknown) => {
      send({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    });
  });
  send({ ready: true, port: server.port });
}
