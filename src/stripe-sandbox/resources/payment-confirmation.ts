/**
 * Confirming a PaymentIntent with its payment method: a charge that succeeds (captured at once, or held for
 * a manual capture) or is declined (a 402 card error and a failed charge), with the events Stripe sends.
 */
import { invalidRequest, resourceMissing, SandboxError } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { cardFor, type CardBehaviour } from './cards.js';
import { settleCapture } from './charge-settlement.js';
import { requestOf } from './event-emission.js';
import type { MoneyData } from './money-data.js';
import { renderCharge } from './money-render.js';
import {
  newPaymentMethod,
  renderPaymentMethod,
  type PaymentMethodData,
} from './payment-method-render.js';
import { checkPaymentMethodCustomer } from './payment-methods.resource.js';

/** A stored payment method of the account (or the platform), or one of Stripe's test `pm_`/`tok_` ids. */
export function resolvePaymentMethod(
  ctx: RequestContext,
  reference: string,
  param: string,
): { id: string; behaviour: CardBehaviour } {
  const stored = ctx.sandbox.store.get<PaymentMethodData>(reference);
  if (
    stored &&
    stored.kind === 'payment_method' &&
    (stored.scope === ctx.scope || stored.scope === null)
  ) {
    return { id: stored.id, behaviour: stored.data.behaviour };
  }
  const behaviour =
    reference.startsWith('pm_') || reference.startsWith('tok_') ? cardFor(reference) : undefined;
  if (!behaviour) throw resourceMissing('PaymentMethod', reference, param);
  return { id: reference, behaviour };
}

/** The payment method as Stripe renders it: a stored one, or one standing for a test id (`pm_card_visa`). */
function paymentMethodObject(
  sandbox: StripeSandbox,
  id: string,
  behaviour: CardBehaviour,
): Record<string, unknown> {
  const stored = sandbox.store.get<PaymentMethodData>(id);
  if (stored?.kind === 'payment_method') return renderPaymentMethod(stored);
  return renderPaymentMethod({
    id,
    kind: 'payment_method',
    scope: null,
    seq: 0,
    data: newPaymentMethod(id, behaviour, sandbox.clock.now(), {}),
  });
}

export function emitIntent(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  type: string,
  intent: StoredObject<MoneyData>,
): void {
  sandbox.emit(type, { ...intent.data }, { scope: intent.scope, request: requestOf(ctx) });
}

export function emitCharge(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  type: string,
  charge: StoredObject<MoneyData>,
): void {
  sandbox.emit(type, renderCharge(sandbox.store, charge), {
    scope: charge.scope,
    request: requestOf(ctx),
  });
}

/** The charge a confirmation makes, authorised and not yet captured. */
function newCharge(
  sandbox: StripeSandbox,
  intent: StoredObject<MoneyData>,
  paymentMethod: string,
  behaviour: CardBehaviour,
): MoneyData {
  return {
    id: newId('ch'),
    object: 'charge',
    amount: intent.data.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: intent.data.application_fee_amount ?? null,
    balance_transaction: null,
    billing_details: { address: null, email: null, name: null, phone: null },
    calculated_statement_descriptor: 'SANDBOX',
    captured: false,
    created: sandbox.clock.now(),
    currency: intent.data.currency,
    customer: intent.data.customer ?? null,
    description: intent.data.description ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: intent.data.metadata,
    on_behalf_of: intent.data.on_behalf_of ?? null,
    outcome: {
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: true,
    payment_intent: intent.id,
    payment_method: paymentMethod,
    payment_method_details: {
      card: {
        brand: behaviour.brand,
        country: behaviour.country,
        exp_month: 12,
        exp_year: 2034,
        funding: behaviour.funding,
        last4: behaviour.last4,
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: intent.data.transfer_data ?? null,
    transfer_group: intent.data.transfer_group ?? null,
  };
}

/** A declined card: the charge fails, the PaymentIntent asks for another payment method, and a 402. */
function decline(
  sandbox: StripeSandbox,
  ctx: RequestContext,
  intent: StoredObject<MoneyData>,
  base: MoneyData,
  card: CardBehaviour,
): never {
  const { code, declineCode, message } = card.decline!;
  const charge = sandbox.store.insert<MoneyData>('charge', intent.scope, base.id, {
    ...base,
    paid: false,
    status: 'failed',
    failure_code: code,
    failure_message: message,
    outcome: {
      network_status: 'declined_by_network',
      reason: declineCode ?? code,
      risk_level: 'normal',
      seller_message: 'The bank declined the payment.',
      type: 'issuer_declined',
    },
  });
  intent.data = {
    ...intent.data,
    status: 'requires_payment_method',
    latest_charge: charge.id,
    last_payment_error: {
      type: 'card_error',
      code,
      decline_code: declineCode ?? null,
      message,
      charge: charge.id,
      payment_method: paymentMethodObject(sandbox, base.payment_method as string, card),
    },
    payment_method: null,
  };
  sandbox.store.save(intent);
  emitCharge(sandbox, ctx, 'charge.failed', charge);
  emitIntent(sandbox, ctx, 'payment_intent.payment_failed', intent);
  throw new SandboxError(402, 'card_error', message, {
    code,
    decline_code: declineCode,
    param: 'payment_method',
    payment_intent: { ...intent.data },
  });
}

/** Confirms a PaymentIntent with its payment method. */
export function confirmIntent(ctx: RequestContext, intent: StoredObject<MoneyData>): void {
  const sandbox = ctx.sandbox;
  const reference = intent.data.payment_method as string | null;
  if (!reference)
    throw invalidRequest(
      'You cannot confirm this PaymentIntent because it\u2019s missing a payment method.',
      'payment_method',
      'payment_intent_unexpected_state',
    );
  checkPaymentMethodCustomer(ctx, reference, (intent.data.customer as string | null) ?? null);
  const { id: pmId, behaviour } = resolvePaymentMethod(ctx, reference, 'payment_method');
  const base = newCharge(sandbox, intent, pmId, behaviour);
  if (behaviour.decline) decline(sandbox, ctx, intent, base, behaviour);
  const charge = sandbox.store.insert<MoneyData>('charge', intent.scope, base.id, base);
  intent.data = {
    ...intent.data,
    latest_charge: charge.id,
    last_payment_error: null,
    payment_method: pmId,
  };
  if (intent.data.capture_method === 'manual') {
    intent.data = {
      ...intent.data,
      status: 'requires_capture',
      amount_capturable: intent.data.amount,
    };
    sandbox.store.save(intent);
    emitCharge(sandbox, ctx, 'charge.succeeded', charge);
    emitIntent(sandbox, ctx, 'payment_intent.amount_capturable_updated', intent);
    return;
  }
  settleCapture(sandbox, ctx, intent, charge, intent.data.amount as number, behaviour);
  emitCharge(sandbox, ctx, 'charge.succeeded', charge);
  emitIntent(sandbox, ctx, 'payment_intent.succeeded', intent);
}
