/**
 * One worker: claims a batch of jobs, handles it, and claims the next at once while there are jobs; idle, it
 * sleeps `pollIntervalMs` or until woken (this instance stored new jobs). Stopping lets the batch in hand
 * finish: its jobs are completed or failed, never left active.
 */
import type { Logger } from '@nestjs/common';

export class JobLoop<T> {
  private stopping = false;
  private running?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly name: string,
    private readonly fetch: () => Promise<T[]>,
    /** Answers nothing, or how many of the jobs it got through (0: none could be taken now; idle). */
    private readonly handle: (jobs: T[]) => Promise<void | number>,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the sleep of an idle worker. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let found = 0;
      try {
        const jobs = await this.fetch();
        found = jobs.length;
        if (found) {
          const done = await this.handle(jobs);
          if (typeof done === 'number') found = done;
        }
      } catch (error) {
        // The jobs of a batch that failed here stay active until they expire, then are retried.
        this.logger.error(
          `${this.name}: a batch failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (!found && !this.stopping) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeUp = done;
    });
  }
}
