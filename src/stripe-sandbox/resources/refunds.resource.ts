/**
 * Refunds (`/v1/refunds`) of captured charges, in whole or in part; on a destination charge they may reverse
 * the transfer and refund the application fee in proportion.
 */
import { invalidParam, invalidRequest, missingParam } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { ledger } from './balances.js';
import { emitFrom } from './event-emission.js';
import { prorate, readAmount } from './money-amounts.js';
import { findOwned, listOwned, MONEY_LIST_PARAMS, plain, type MoneyData } from './money-data.js';
import { renderCharge } from './money-render.js';
import { applyMetadata, optionalBoolean, optionalString } from './params.js';
import { reverseTransfer } from './transfer-actions.js';

const REFUND_PARAMS = [
  'payment_intent',
  'charge',
  'amount',
  'reason',
  'reverse_transfer',
  'refund_application_fee',
  'metadata',
];

/** The captured charge a refund is for: `charge`, or the latest charge of `payment_intent`. */
function refundedCharge(ctx: RequestContext): StoredObject<MoneyData> {
  const intentId = optionalString(ctx.params, 'payment_intent');
  const chargeParam = optionalString(ctx.params, 'charge');
  const intent = intentId
    ? findOwned<MoneyData>(ctx, 'payment_intent', intentId, 'payment_intent', 'payment_intent')
    : undefined;
  const chargeId = chargeParam ?? (intent?.data.latest_charge as string | undefined);
  if (!chargeId) throw missingParam('payment_intent');
  const charge = findOwned<MoneyData>(ctx, 'charge', chargeId, 'charge', 'charge');
  if (!charge.data.captured)
    throw invalidRequest(
      'This charge has not been captured: cancel its PaymentIntent instead.',
      'payment_intent',
      'charge_not_refundable',
    );
  return charge;
}

function readRefundAmount(ctx: RequestContext, charge: StoredObject<MoneyData>): number {
  const remaining =
    (charge.data.amount_captured as number) - (charge.data.amount_refunded as number);
  const amount =
    readAmount(ctx.params, 'amount', charge.data.currency as string, false) ?? remaining;
  if (amount > remaining) {
    throw invalidParam(
      'amount',
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      'amount_too_large',
    );
  }
  return amount;
}

/** `reverse_transfer`: the destination gives back its share of the refund; answers the reversal's id. */
function reverseShare(
  ctx: RequestContext,
  charge: StoredObject<MoneyData>,
  amount: number,
): string | null {
  if (!optionalBoolean(ctx.params, 'reverse_transfer') || !charge.data.transfer) return null;
  const transfer = ctx.sandbox.store.get<MoneyData>(charge.data.transfer as string)!;
  const total = transfer.data.amount as number;
  const left = total - (transfer.data.amount_reversed as number);
  const back = prorate(total, amount, charge.data.amount_captured as number, left);
  return reverseTransfer(ctx.sandbox, ctx, transfer, back);
}

/** `refund_application_fee`: the platform gives back its share of the fee. */
function refundFeeShare(
  ctx: RequestContext,
  charge: StoredObject<MoneyData>,
  amount: number,
): void {
  if (!optionalBoolean(ctx.params, 'refund_application_fee') || !charge.data.application_fee)
    return;
  const sandbox = ctx.sandbox;
  const now = sandbox.clock.now();
  const fee = sandbox.store.get<MoneyData>(charge.data.application_fee as string)!;
  const currency = charge.data.currency as string;
  const total = fee.data.amount as number;
  const left = total - (fee.data.amount_refunded as number);
  const back = prorate(total, amount, charge.data.amount_captured as number, left);
  ledger(sandbox, null, -back, currency, 'application_fee_refund', fee.id, now);
  ledger(
    sandbox,
    fee.data.account as string,
    back,
    currency,
    'application_fee_refund',
    fee.id,
    now,
  );
  const refunded = (fee.data.amount_refunded as number) + back;
  fee.data = { ...fee.data, amount_refunded: refunded, refunded: refunded === total };
  sandbox.store.save(fee);
  emitFrom(ctx, 'application_fee.refunded', { ...fee.data }, null);
}

function createRefund(ctx: RequestContext): MoneyData {
  const sandbox = ctx.sandbox;
  const charge = refundedCharge(ctx);
  const amount = readRefundAmount(ctx, charge);
  const currency = charge.data.currency as string;
  const id = newId('re');
  const scope = charge.scope;
  ledger(sandbox, scope, -amount, currency, 'refund', id, sandbox.clock.now());
  const reversal = reverseShare(ctx, charge, amount);
  refundFeeShare(ctx, charge, amount);
  const refund = sandbox.store.insert<MoneyData>('refund', scope, id, {
    id,
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: sandbox.clock.now(),
    currency,
    metadata: applyMetadata({}, ctx.params),
    payment_intent: charge.data.payment_intent,
    reason: optionalString(ctx.params, 'reason') ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: reversal,
  });
  const refundedTotal = (charge.data.amount_refunded as number) + amount;
  charge.data = {
    ...charge.data,
    amount_refunded: refundedTotal,
    refunded: refundedTotal === charge.data.amount_captured,
  };
  sandbox.store.save(charge);
  emitFrom(ctx, 'refund.created', { ...refund.data }, scope);
  emitFrom(ctx, 'charge.refunded', renderCharge(sandbox.store, charge), scope);
  return { ...refund.data };
}

function retrieveRefund(ctx: RequestContext): MoneyData {
  return plain(findOwned(ctx, 'refund', ctx.pathParams.id, 'refund'));
}

function listRefunds(ctx: RequestContext): unknown {
  return listOwned(ctx, 'refund', '/v1/refunds', 'refund');
}

export function registerRefunds(sandbox: StripeSandbox): void {
  sandbox.renderer('refund', ['re'], plain);
  sandbox.route('POST', '/v1/refunds', createRefund, REFUND_PARAMS);
  sandbox.route('GET', '/v1/refunds/:id', retrieveRefund);
  sandbox.route('GET', '/v1/refunds', listRefunds, MONEY_LIST_PARAMS);
}
