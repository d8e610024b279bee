import type { SandboxStore } from './sandbox.store.js';

/**
 * The sandbox's time: the wall clock plus an offset that only grows. `advance` moves it forward at once, so
 * tests make deadlines pass, balances settle and retries fall due without sleeping.
 */
export class SandboxClock {
  constructor(private readonly store: SandboxStore) {}

  private get offset(): number {
    return this.store.getMeta<number>('clockOffset') ?? 0;
  }

  /** Unix seconds. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.offset;
  }

  advance(seconds: number): number {
    this.store.setMeta('clockOffset', this.offset + seconds);
    return this.now();
  }
}
