import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from './group-commit.queue.js';

/** A batch runner whose batches finish when the test says so. */
function controlled() {
  const batches: { items: number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<Promise<string>[]>((resolve, reject) => {
      batches.push({
        items,
        finish: () => resolve(items.map((item) => Promise.resolve(`done ${item}`))),
        fail: reject,
      });
    });
  return { batches, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitQueue', () => {
  it('starts a lone item at once, and takes everything that waited into the next batch when a slot frees', async () => {
    const { batches, run } = controlled();
    const queue = new GroupCommitQueue(run, { maxBatch: 10, maxInFlight: 1 });
    const first = queue.submit(1);
    await settle();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const waiting = [2, 3, 4].map((item) => queue.submit(item));
    await settle();
    expect(batches).toHaveLength(1);

    batches[0].finish();
    expect(await first).toBe('done 1');
    await settle();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].finish();
    expect(await Promise.all(waiting)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('caps batches at maxBatch and runs up to maxInFlight at once', async () => {
    const { batches, run } = controlled();
    const queue = new GroupCommitQueue(run, { maxBatch: 2, maxInFlight: 2 });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((item) => queue.submit(item));
    await settle();
    expect(batches.map((b) => b.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    batches[1].finish();
    await settle();
    expect(batches.map((b) => b.items)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    batches[0].finish();
    await settle();
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
    batches[2].finish();
    batches[3].finish();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `done ${i}`));
  });

  it('puts items submitted in one turn of the event loop into one batch, even with a free slot', async () => {
    const { batches, run } = controlled();
    const queue = new GroupCommitQueue(run, { maxBatch: 64, maxInFlight: 2 });
    const answers = [1, 2, 3].map((item) => queue.submit(item));
    await settle();
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    const later = queue.submit(4);
    await settle();
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3], [4]]);
    batches[0].finish();
    batches[1].finish();
    expect(await Promise.all([...answers, later])).toEqual([1, 2, 3, 4].map((i) => `done ${i}`));
  });

  it('rejects every item of a failed batch and keeps serving the next ones', async () => {
    const { batches, run } = controlled();
    const queue = new GroupCommitQueue(run, { maxBatch: 10, maxInFlight: 1 });
    const first = queue.submit(1);
    await settle();
    const second = queue.submit(2);
    batches[0].fail(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await settle();
    batches[1].finish();
    expect(await second).toBe('done 2');
  });
});
