import { describe, expect, it } from 'vitest';
import { warningCounter } from './server-process.js';

describe('warningCounter', () => {
  it('counts WARN and ERROR lines, across chunk boundaries, keeping the first five without colours', () => {
    const counter = warningCounter();
    counter.feed(
      '[Nest] 1  - 12/01/2026    LOG [Webhooks] evt_1 account.updated processed\n[Nest] 1  - ',
    );
    counter.feed('12/01/2026   \u001b[33mWARN\u001b[39m [EventBatch] group of 8 rolled back\n');
    for (let i = 0; i < 6; i += 1) counter.feed(`[Nest] 1  - ERROR [Filter] failure ${i}\n`);
    counter.feed('[Nest] 1  - WARN [Queue] not yet ended');
    expect(counter.warnings.count).toBe(7);
    expect(counter.warnings.first).toEqual([
      '[Nest] 1  - 12/01/2026   WARN [EventBatch] group of 8 rolled back',
      ...[0, 1, 2, 3].map((i) => `[Nest] 1  - ERROR [Filter] failure ${i}`),
    ]);
  });

  it('does not count a word that only contains the levels', () => {
    const counter = warningCounter();
    counter.feed('[Nest] 1  - LOG [Webhooks] evt_WARNING ERRORS handled\n');
    expect(counter.warnings).toEqual({ count: 0, first: [] });
  });
});
