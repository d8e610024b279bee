/** Stripe customers → their local mirror rows, and their guarded write (a delete is a tombstone). */
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import {
  upsertGuarded,
  upsertGuardedMany,
  type GuardOptions,
  type WriteOutcome,
} from '../common/mirror-writer.js';
import { Customer, type SavedCard } from './customer.entity.js';

/**
 * The default payment method of a customer: its id, and its card when Stripe sent it expanded. A bare id leaves
 * the card as it was (it names the payment method it describes, so a stale one is never shown as the default).
 */
function defaultMethod(
  customer: Stripe.Customer,
): Pick<Customer, 'defaultPaymentMethodId'> & { defaultCard?: SavedCard | null } {
  const method = customer.invoice_settings?.default_payment_method ?? null;
  if (method === null) return { defaultPaymentMethodId: null, defaultCard: null };
  if (typeof method === 'string') return { defaultPaymentMethodId: method };
  const card = method.card;
  return {
    defaultPaymentMethodId: method.id,
    defaultCard: card
      ? {
          id: method.id,
          brand: card.brand,
          last4: card.last4,
          expMonth: card.exp_month,
          expYear: card.exp_year,
        }
      : null,
  };
}

/** The mirrored columns of a customer's state, or of its tombstone. */
function customerValues(
  customer: Stripe.Customer | Stripe.DeletedCustomer,
  accountId: string | null,
  at: Date,
  deleted: boolean,
): Partial<Customer> & { id: string } {
  if (customer.deleted === true) return { id: customer.id, accountId, deletedAt: at };
  return {
    id: customer.id,
    livemode: customer.livemode,
    raw: customer as unknown as Record<string, unknown>,
    accountId,
    email: customer.email ?? null,
    currency: customer.currency ?? null,
    ...defaultMethod(customer),
    deletedAt: deleted ? at : null,
  };
}

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
  const values = customerValues(customer, accountId, at, !!options.deleted);
  return upsertGuarded(manager, Customer, values, at, options);
}

/** `writeCustomer` of several customers (distinct, in id order) in one statement, each at its own time. */
export function writeCustomers(
  manager: EntityManager,
  items: {
    customer: Stripe.Customer | Stripe.DeletedCustomer;
    accountId: string | null;
    at: Date;
    deleted: boolean;
  }[],
  options: { storable?: boolean } = {},
): Promise<WriteOutcome[]> {
  return upsertGuardedMany(
    manager,
    Customer,
    items.map(({ customer, accountId, at, deleted }) => ({
      values: customerValues(customer, accountId, at, deleted),
      at,
    })),
    options,
  );
}
