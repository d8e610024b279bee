/**
 * The changes the mirror knows, one variant per family of Stripe objects. An event, an API answer, a
 * re-fetch or a backfill becomes a list of these; `MirrorService` writes them, each guarded by its time.
 */
import type Stripe from 'stripe';
import type { ExternalAccountList } from '../accounts/account-mirror.js';
import { idOf } from '../stripe/stripe-id.js';

export type MirrorOp =
  /** A full account snapshot, with the external accounts it lists (`null`: left alone). */
  | { family: 'account'; account: Stripe.Account; externals: ExternalAccountList | null }
  | { family: 'authorization'; accountId: string; authorized: boolean }
  | { family: 'capability'; accountId: string; capability: Stripe.Capability }
  | {
      family: 'external_account';
      accountId: string;
      external: Stripe.BankAccount | Stripe.Card;
      deleted: boolean;
    }
  | { family: 'person'; person: Stripe.Person; deleted: boolean }
  | {
      family: 'customer';
      /** The connected account it lives on; null on the platform. */
      accountId: string | null;
      customer: Stripe.Customer | Stripe.DeletedCustomer;
      deleted: boolean;
    }
  | { family: 'payment_intent'; accountId: string | null; intent: Stripe.PaymentIntent }
  | {
      family: 'charge';
      accountId: string | null;
      charge: Stripe.Charge;
      /** Its PaymentIntent, fetched when the mirror did not hold it: written first. */
      intent?: { intent: Stripe.PaymentIntent; at: Date };
    }
  | { family: 'dispute'; paymentIntentId: string }
  | { family: 'refund'; accountId: string | null; refund: Stripe.Refund }
  | { family: 'application_fee'; fee: Stripe.ApplicationFee }
  | { family: 'transfer'; transfer: Stripe.Transfer }
  | { family: 'payout'; accountId: string | null; payout: Stripe.Payout };

export type MirrorFamily = MirrorOp['family'];

/**
 * The order in which one transaction writes rows (parents first, then by id): every writer takes locks alike.
 * Families that write rows of one table share a rank, so that their rows are taken in one id order: a
 * PaymentIntent, a Charge object and a dispute all write the PaymentIntent's row of `stripe_charges` (two
 * transactions writing PaymentIntents and Charges of the same two intents deadlocked when the PaymentIntents
 * went first in each).
 */
const RANK: Record<MirrorFamily, number> = {
  account: 0,
  authorization: 1,
  capability: 2,
  person: 3,
  external_account: 4,
  customer: 5,
  payment_intent: 6,
  charge: 6,
  dispute: 6,
  refund: 7,
  application_fee: 8,
  transfer: 9,
  payout: 10,
};

/** The Stripe id of the row an operation writes. */
export function rowIdOf(op: MirrorOp): string {
  switch (op.family) {
    case 'account':
      return op.account.id;
    case 'authorization':
    case 'capability':
      return op.accountId;
    case 'external_account':
      return op.external.id;
    case 'person':
      return op.person.id;
    case 'customer':
      return op.customer.id;
    case 'payment_intent':
      return op.intent.id;
    case 'charge':
      return idOf(op.charge.payment_intent) ?? op.charge.id;
    case 'dispute':
      return op.paymentIntentId;
    case 'refund':
      return op.refund.id;
    case 'application_fee':
      return op.fee.id;
    case 'transfer':
      return op.transfer.id;
    case 'payout':
      return op.payout.id;
  }
}

export function compareLockOrder(a: MirrorOp, b: MirrorOp): number {
  const rank = RANK[a.family] - RANK[b.family];
  if (rank) return rank;
  const [x, y] = [rowIdOf(a), rowIdOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The connected accounts an operation's rows refer to (they must be mirrored first: foreign keys). */
export function accountsOf(op: MirrorOp): string[] {
  const ids: (string | null)[] = [];
  switch (op.family) {
    case 'account':
    case 'authorization':
    case 'dispute':
    case 'refund':
      break;
    case 'capability':
    case 'external_account':
    case 'customer':
    case 'payout':
      ids.push(op.accountId);
      break;
    case 'person':
      ids.push(op.person.account);
      break;
    case 'payment_intent':
      ids.push(op.accountId, idOf(op.intent.transfer_data?.destination));
      break;
    case 'charge':
      ids.push(op.accountId, idOf(op.intent?.intent.transfer_data?.destination));
      break;
    case 'application_fee':
      ids.push(idOf(op.fee.account));
      break;
    case 'transfer':
      ids.push(idOf(op.transfer.destination));
      break;
  }
  return ids.filter((id): id is string => !!id);
}
