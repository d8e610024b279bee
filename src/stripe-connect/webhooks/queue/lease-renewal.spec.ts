import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepRenewing, renewalIntervalMs } from './lease-renewal.js';

describe('lease renewal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews three times per lease', () => {
    expect(renewalIntervalMs(120)).toBe(40_000);
    expect(renewalIntervalMs(0)).toBe(1);
  });

  it('renews until stopped, and goes on after a renewal that failed', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const stop = keepRenewing(
      () => {
        calls += 1;
        return calls === 2 ? Promise.reject(new Error('database gone')) : Promise.resolve();
      },
      1000,
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(0);
    await vi.advanceTimersByTimeAsync(3001);
    expect(calls).toBe(4);
    expect(errors).toEqual([new Error('database gone')]);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(4);
  });
});
