/**
 * Coalescing a batch's mirror operations: several snapshots of one row (five `account.updated` of one account
 * claimed together) become the newest. An older state is dropped only where a newer one of the same row is in
 * the batch, which the write guard would have refused anyway; states of the same newest second are all kept,
 * so the mirror settles their tie as it does for single events (re-fetching the object).
 */
import type { DatedOp } from '../mirror.service.js';
import type { MirrorOp } from '../mirror-op.js';

export interface SyncEntry {
  /** The Stripe time of the event (`created`). */
  at: Date;
  ops: MirrorOp[];
  /** Carried to each of the entry's operations (e.g. the lock key of its event). */
  key?: string;
}

/** A coalesced operation, with its entry's key. */
export type KeyedOp = DatedOp & { key?: string };

/**
 * The Stripe object whose state an operation carries (a capability is one of its account's), or null for
 * operations that carry no state to compare (disputes re-read their row).
 */
function objectKeyOf(op: MirrorOp): string | null {
  switch (op.family) {
    case 'account':
      return `account:${op.account.id}`;
    case 'authorization':
      return `authorization:${op.accountId}`;
    case 'capability':
      return `capability:${op.accountId}:${op.capability.id}`;
    case 'external_account':
      return `external_account:${op.external.id}`;
    case 'person':
      return `person:${op.person.id}`;
    case 'customer':
      return `customer:${op.customer.id}`;
    case 'payment_intent':
      return `payment_intent:${op.intent.id}`;
    case 'charge':
      return `charge:${op.charge.id}`;
    case 'dispute':
      return null;
    case 'refund':
      return `refund:${op.refund.id}`;
    case 'application_fee':
      return `application_fee:${op.fee.id}`;
    case 'transfer':
      return `transfer:${op.transfer.id}`;
    case 'payout':
      return `payout:${op.payout.id}`;
  }
}

/** The batch's operations, oldest event first, without the states a newer one of the same row replaces. */
export function coalesceOps(entries: SyncEntry[]): { dated: KeyedOp[]; dropped: number } {
  const all = entries
    .flatMap((entry) => entry.ops.map((op) => ({ op, at: entry.at, fresh: false, key: entry.key })))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const newest = new Map<string, number>();
  for (const { op, at } of all) {
    const key = objectKeyOf(op);
    if (key) newest.set(key, Math.max(newest.get(key) ?? 0, at.getTime()));
  }
  const dated = all.filter(({ op, at }) => {
    const key = objectKeyOf(op);
    return !key || at.getTime() === newest.get(key);
  });
  return { dated, dropped: all.length - dated.length };
}
