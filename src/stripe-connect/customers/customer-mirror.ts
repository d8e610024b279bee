/** Stripe customers → their local mirror rows, and their guarded write (a delete is a tombstone). */
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { upsertGuarded, type GuardOptions, type WriteOutcome } from '../common/mirror-writer.js';
import { Customer } from './customer.entity.js';

/**
 * A customer's state on the platform (`accountId` null) or on a connected account; `deleted` (a
 * `customer.deleted`, or a re-fetch that finds it deleted) keeps the row with its tombstone. The user columns
 * are never touched: the create flow sets them.
 */
export function writeCustomer(
  manager: EntityManager,
  customer: Stripe.Customer | Stripe.DeletedCustomer,
  accountId: string | null,
  at: Date,
  options: GuardOptions & { deleted?: boolean } = {},
): Promise<WriteOutcome> {
  const deleted = options.deleted || customer.deleted === true;
  const values: Partial<Customer> & { id: string } =
    customer.deleted === true
      ? { id: customer.id, accountId, deletedAt: at }
      : {
          id: customer.id,
          livemode: customer.livemode,
          raw: customer as unknown as Record<string, unknown>,
          accountId,
          email: customer.email ?? null,
          currency: customer.currency ?? null,
          deletedAt: deleted ? at : null,
        };
  return upsertGuarded(manager, Customer, values, at, options);
}
