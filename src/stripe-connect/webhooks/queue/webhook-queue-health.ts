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
    /** One job per stored event: the built-in sync. */
    events: QueueCounts;
    /** One job per (event, listener). */
    listeners: QueueCounts;
    /** Jobs of either queue that failed every retry, kept for an operator. */
    deadLettered: number;
  } | null;
}
