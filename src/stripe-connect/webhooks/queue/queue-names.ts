/** The pg-boss queues of queued mode. */
export const SYNC_QUEUE = 'stripe-connect.events';
export const LISTENERS_QUEUE = 'stripe-connect.listeners';
/** Jobs of either queue that failed every retry; kept (never worked) for an operator to look at. */
export const DEAD_LETTER_QUEUE = 'stripe-connect.dead-letters';

/** A sync job: one stored event. */
export interface SyncJobData {
  event: string;
}

/** A listener job: one listener of one synced event. */
export interface ListenerJobData {
  event: string;
  listener: string;
}
