/**
 * The built-in sync: what each Stripe event changes in the local mirror, as typed operations (`MirrorOp`)
 * that `MirrorService` writes with the ordering guard. Events the library does not mirror yield none.
 */
import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { externalAccountListOf } from '../accounts/account-mirror.js';
import { idOf } from '../stripe/stripe-id.js';
import type { MirrorOp } from './mirror-op.js';

/** The event's object, typed by the family its type names. */
function objectOf<T>(event: Stripe.Event): T {
  return event.data.object as unknown as T;
}

@Injectable()
export class EventSyncService {
  /** The mirror operations an event implies; none for types the library does not mirror. */
  opsFor(event: Stripe.Event): MirrorOp[] {
    const account = event.account ?? null;
    const type: string = event.type;

    if (type === 'account.updated') {
      const object = objectOf<Stripe.Account>(event);
      return [{ family: 'account', account: object, externals: externalAccountListOf(object) }];
    }
    if (type === 'account.application.authorized' || type === 'account.application.deauthorized') {
      if (!account) return [];
      return [
        {
          family: 'authorization',
          accountId: account,
          authorized: type === 'account.application.authorized',
        },
      ];
    }
    if (type.startsWith('account.external_account.')) {
      const external = objectOf<Stripe.BankAccount | Stripe.Card>(event);
      const owner = account ?? idOf((external as Stripe.BankAccount).account);
      if (!owner) return [];
      return [
        {
          family: 'external_account',
          accountId: owner,
          external,
          deleted: type.endsWith('.deleted'),
        },
      ];
    }
    if (type === 'capability.updated') {
      const capability = objectOf<Stripe.Capability>(event);
      const owner = idOf(capability.account) ?? account;
      return owner ? [{ family: 'capability', accountId: owner, capability }] : [];
    }
    if (type.startsWith('person.')) {
      const person = objectOf<Stripe.Person>(event);
      return [{ family: 'person', person, deleted: type === 'person.deleted' }];
    }
    if (type === 'customer.created' || type === 'customer.updated' || type === 'customer.deleted') {
      const customer = objectOf<Stripe.Customer>(event);
      return [
        { family: 'customer', accountId: account, customer, deleted: type === 'customer.deleted' },
      ];
    }
    if (type.startsWith('payout.')) {
      return [{ family: 'payout', accountId: account, payout: objectOf<Stripe.Payout>(event) }];
    }
    if (type.startsWith('transfer.')) {
      return [{ family: 'transfer', transfer: objectOf<Stripe.Transfer>(event) }];
    }
    if (type.startsWith('payment_intent.')) {
      return [
        {
          family: 'payment_intent',
          accountId: account,
          intent: objectOf<Stripe.PaymentIntent>(event),
        },
      ];
    }
    if (type.startsWith('charge.dispute.')) {
      const intentId = idOf(objectOf<Stripe.Dispute>(event).payment_intent);
      return intentId ? [{ family: 'dispute', paymentIntentId: intentId }] : [];
    }
    if (type === 'charge.refund.updated' || type.startsWith('refund.')) {
      return [{ family: 'refund', accountId: account, refund: objectOf<Stripe.Refund>(event) }];
    }
    if (type.startsWith('charge.')) {
      const charge = objectOf<Stripe.Charge>(event);
      const ops: MirrorOp[] = [];
      if (idOf(charge.payment_intent)) ops.push({ family: 'charge', accountId: account, charge });
      for (const refund of charge.refunds?.data ?? [])
        ops.push({ family: 'refund', accountId: account, refund });
      return ops;
    }
    if (type === 'application_fee.created' || type === 'application_fee.refunded') {
      return [{ family: 'application_fee', fee: objectOf<Stripe.ApplicationFee>(event) }];
    }
    return [];
  }
}
