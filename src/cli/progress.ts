import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io.js';

/**
 * Progress of a long command: a bar with count, rate and ETA on a terminal (cli-progress), and a plain line
 * every `intervalMs` otherwise (logs, CI), so a pipe never fills with redraws.
 */
export class Progress {
  private bar?: SingleBar;
  private done = 0;
  private total: number | undefined;
  private readonly started = Date.now();
  private lastLine = Date.now();

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly intervalMs = 5_000,
  ) {}

  start(total: number | undefined, done = 0): void {
    this.total = total;
    this.done = done;
    if (this.io.isTTY && this.io.tty) {
      this.bar = new SingleBar({
        stream: this.io.tty,
        format: `${this.label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 200,
      });
      this.bar.start(total ?? 0, done, { rate: '0' });
    }
  }

  /** The total became known or grew (a list whose size is learnt page by page). */
  setTotal(total: number): void {
    this.total = total;
    this.bar?.setTotal(total);
  }

  tick(count = 1): void {
    this.done += count;
    if (this.bar) {
      this.bar.update(this.done, { rate: this.rate().toFixed(0) });
      return;
    }
    if (Date.now() - this.lastLine >= this.intervalMs) {
      this.lastLine = Date.now();
      this.io.err(this.line());
    }
  }

  stop(): void {
    this.bar?.stop();
  }

  rate(): number {
    const seconds = (Date.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  private line(): string {
    const of = this.total !== undefined ? `/${this.total}` : '';
    return `${this.label}: ${this.done}${of} (${this.rate().toFixed(0)}/s)`;
  }
}
