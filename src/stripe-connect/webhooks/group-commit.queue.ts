/**
 * Group commit: items submitted while earlier batches are in flight wait, and the next batch takes everything
 * waiting (up to `maxBatch`) as soon as a slot frees (at most `maxInFlight` batches at a time). A queue with a
 * free slot starts a batch once the current turn of the event loop has handed over what it read
 * (`setImmediate`): the deliveries read together go together instead of the first one alone, and a lone item
 * waits for nothing else. Pure scheduling: `run` does the work.
 */
export interface GroupCommitLimits {
  /** Items per batch at most. */
  maxBatch: number;
  /** Batches in flight at once at most. */
  maxInFlight: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R | Promise<R>) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /**
   * `run` takes a batch and resolves when its slot may be reused, with one promise per item (in order) that
   * answers that item; a rejection of `run` rejects every item of the batch.
   */
  constructor(
    private readonly run: (items: T[]) => Promise<Promise<R>[]>,
    private readonly limits: GroupCommitLimits,
  ) {
    if (!(limits.maxBatch >= 1) || !(limits.maxInFlight >= 1))
      throw new Error('GroupCommitQueue needs maxBatch and maxInFlight of at least 1');
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.scheduled || this.inFlight >= this.limits.maxInFlight) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.drain();
      });
    });
  }

  private drain(): void {
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length) {
      const batch = this.waiting.splice(0, this.limits.maxBatch);
      this.inFlight += 1;
      const started = Promise.resolve().then(() => this.run(batch.map((waiting) => waiting.item)));
      started
        .then(
          (results) =>
            batch.forEach((waiting, index) => {
              const result = results.at(index);
              if (result !== undefined) waiting.resolve(result);
              else waiting.reject(new Error('the batch answered no result for an item'));
            }),
          (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.drain();
        });
    }
  }
}
