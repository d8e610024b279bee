/** Stripe objects of the charges domain → the columns of their local mirror rows. */
import type Stripe from 'stripe';
import type { ApplicationFee } from './application-fee.entity.js';
import type { Charge } from './charge.entity.js';
import type { Refund } from './refund.entity.js';

type Raw = Record<string, unknown>;

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

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
): Partial<Refund> {
  return {
    id: refund.id,
    livemode: false,
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
