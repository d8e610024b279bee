/**
 * Stripe objects of the charges domain → the columns of their local mirror rows, and their guarded writes.
 * A PaymentIntent row holds two states, each with its time: the PaymentIntent's (`snapshot_at`) and its
 * latest Charge object's amounts (`charge_at`).
 */
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import {
  updateGuarded,
  upsertGuarded,
  type GuardOptions,
  type WriteOutcome,
} from '../common/mirror-writer.js';
import { idOf } from '../stripe/stripe-id.js';
import { ApplicationFee } from './application-fee.entity.js';
import { Charge } from './charge.entity.js';
import { Refund } from './refund.entity.js';

type Raw = Record<string, unknown>;

/** One row per PaymentIntent, on the platform (`accountId` null) or on the connected account of a direct charge. */
export function paymentIntentValues(
  intent: Stripe.PaymentIntent,
  accountId: string | null,
  snapshotAt: Date,
): Partial<Charge> {
  const error = intent.last_payment_error;
  return {
    id: intent.id,
    livemode: intent.livemode,
    raw: intent as unknown as Raw,
    snapshotAt,
    accountId,
    destinationAccountId: idOf(intent.transfer_data?.destination),
    customerId: idOf(intent.customer),
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
    captureMethod: intent.capture_method,
    amountCaptured: intent.amount_received ?? 0,
    applicationFeeAmount: intent.application_fee_amount ?? null,
    transferGroup: intent.transfer_group ?? null,
    onBehalfOf: idOf(intent.on_behalf_of),
    latestChargeId: idOf(intent.latest_charge),
    lastPaymentError: error
      ? {
          type: error.type,
          code: error.code ?? null,
          decline_code: error.decline_code ?? null,
          message: error.message ?? null,
        }
      : null,
  };
}

/** What a Charge object (`ch_…`) tells about its PaymentIntent's row. */
export function chargeObjectValues(charge: Stripe.Charge): Partial<Charge> {
  return {
    latestChargeId: charge.id,
    amountCaptured: charge.amount_captured,
    amountRefunded: charge.amount_refunded,
    disputed: charge.disputed,
  };
}

export function refundValues(
  refund: Stripe.Refund,
  accountId: string | null,
  snapshotAt: Date,
  livemode = false,
): Partial<Refund> {
  return {
    id: refund.id,
    livemode,
    raw: refund as unknown as Raw,
    snapshotAt,
    accountId,
    paymentIntentId: idOf(refund.payment_intent),
    chargeObjectId: idOf(refund.charge),
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status ?? 'pending',
    reason: refund.reason ?? null,
    failureReason: refund.failure_reason ?? null,
  };
}

export function applicationFeeValues(
  fee: Stripe.ApplicationFee,
  snapshotAt: Date,
): Partial<ApplicationFee> {
  return {
    id: fee.id,
    livemode: fee.livemode,
    raw: fee as unknown as Raw,
    snapshotAt,
    accountId: idOf(fee.account),
    chargeObjectId: idOf(fee.charge),
    amount: fee.amount,
    amountRefunded: fee.amount_refunded,
    currency: fee.currency,
    refunded: fee.refunded,
  };
}

/** What the Charge object newer than the PaymentIntent says about the amount captured wins. */
const KEEP_NEWER_CHARGE = {
  amount_captured: `CASE WHEN "stripe_charges"."charge_at" > EXCLUDED."snapshot_at" THEN "stripe_charges"."amount_captured" ELSE EXCLUDED."amount_captured" END`,
  latest_charge_id: `CASE WHEN "stripe_charges"."charge_at" > EXCLUDED."snapshot_at" THEN "stripe_charges"."latest_charge_id" ELSE EXCLUDED."latest_charge_id" END`,
};

/** A PaymentIntent's state (its row; refunds and disputes, which it does not carry, are left as they are). */
export function writePaymentIntent(
  manager: EntityManager,
  intent: Stripe.PaymentIntent,
  accountId: string | null,
  at: Date,
  options: GuardOptions = {},
): Promise<WriteOutcome> {
  return upsertGuarded(
    manager,
    Charge,
    paymentIntentValues(intent, accountId, at) as Partial<Charge> & { id: string },
    at,
    { ...options, expressions: KEEP_NEWER_CHARGE },
  );
}

/**
 * The amounts a Charge object (`ch_…`) tells about its PaymentIntent's row, guarded by `charge_at`; the amount
 * captured also yields to a newer PaymentIntent state. `absent` when the PaymentIntent is not mirrored.
 */
export function writeChargeObject(
  manager: EntityManager,
  charge: Stripe.Charge,
  at: Date,
  options: { fresh?: boolean } = {},
): Promise<WriteOutcome> {
  const intentId = idOf(charge.payment_intent);
  if (!intentId) return Promise.resolve('absent');
  return updateGuarded(manager, Charge, intentId, at, {
    timeColumn: 'charge_at',
    fresh: options.fresh,
    set: [
      `"charge_at" = $2`,
      `"latest_charge_id" = $3`,
      `"amount_captured" = CASE WHEN "snapshot_at" > $2 THEN "amount_captured" ELSE $4::integer END`,
      `"amount_refunded" = $5::integer`,
      `"disputed" = "disputed" OR $6::boolean`,
    ],
    parameters: [charge.id, charge.amount_captured, charge.amount_refunded, charge.disputed],
  });
}

/** A dispute was opened: `disputed` only ever becomes true. */
export async function writeDispute(
  manager: EntityManager,
  intentId: string,
): Promise<WriteOutcome> {
  await manager.update(Charge, { id: intentId }, { disputed: true });
  return 'written';
}

export async function writeRefund(
  manager: EntityManager,
  refund: Stripe.Refund,
  accountId: string | null,
  at: Date,
  options: GuardOptions & { livemode?: boolean } = {},
): Promise<WriteOutcome> {
  const values = refundValues(refund, accountId, at, options.livemode);
  // The refund's PaymentIntent may not be mirrored; the id stays in the raw object.
  if (values.paymentIntentId && !(await manager.existsBy(Charge, { id: values.paymentIntentId })))
    values.paymentIntentId = null;
  return upsertGuarded(manager, Refund, values as Partial<Refund> & { id: string }, at, options);
}

export async function writeApplicationFee(
  manager: EntityManager,
  fee: Stripe.ApplicationFee,
  at: Date,
  options: GuardOptions = {},
): Promise<WriteOutcome> {
  const charge = idOf(fee.charge);
  const intent = charge ? await manager.findOneBy(Charge, { latestChargeId: charge }) : null;
  return upsertGuarded(
    manager,
    ApplicationFee,
    {
      ...applicationFeeValues(fee, at),
      paymentIntentId: intent?.id ?? null,
    } as Partial<ApplicationFee> & { id: string },
    at,
    options,
  );
}
