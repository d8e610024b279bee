/** What queued mode's health answers: per queue, the jobs in each state and the oldest waiting one's age. */
export interface QueueCounts {
  /** Jobs waiting to be claimed (new, or failed and waiting for their retry). */
  waiting: number;
  /** Of the waiting jobs, those that failed before and wait for a retry. */
  retrying: number;
  /** Jobs claimed by a worker now. */
  active: number;
  /** Active jobs past their expiry (a worker that died): pg-boss's supervisor retries them. */
  stuck: number;
  /** Jobs that failed every retry (each also has a copy in the dead-letter queue), until archived. */
  failed: number;
  /** Seconds since the oldest waiting job was enqueued; null when none waits. */
  oldestWaitingSeconds: number | null;
}

export interface WebhookQueueHealth {
  mode: 'inline' | 'queued';
  /** Null in inline mode. */
  queues: {
    /**
     * The built-in sync: each stored event still to sync counts as one job (the work list in `stripe_events`:
     * waiting, active while a worker's claim is live, stuck once the claim's lease expired), plus the
     * pg-boss jobs retrying the events whose sync failed (`retrying`, `failed`).
     */
    events: QueueCounts;
    /** One job per (event, listener). */
    listeners: QueueCounts;
    /** Jobs of either queue that failed every retry, kept for an operator. */
    deadLettered: number;
  } | null;
}
