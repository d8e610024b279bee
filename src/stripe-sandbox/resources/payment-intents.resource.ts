/**
 * PaymentIntents (`/v1/payment_intents`): created for a platform, direct (`Stripe-Account`) or destination
 * (`transfer_data`) charge, confirmed, captured (at once or manually) or canceled.
 */
import type { FormObject } from '../form-codec.js';
import { invalidParam, invalidRequest, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { settleCapture } from './charge-settlement.js';
import { readAmount, readChargeAmount, readCurrency } from './money-amounts.js';
import {
  accountOf,
  findOwned,
  listOwned,
  MONEY_LIST_PARAMS,
  plain,
  type MoneyData,
} from './money-data.js';
import {
  applyMetadata,
  optionalBoolean,
  optionalHash,
  optionalInteger,
  optionalString,
} from './params.js';
import {
  confirmIntent,
  emitCharge,
  emitIntent,
  resolvePaymentMethod,
} from './payment-confirmation.js';
import { checkPaymentMethodCustomer } from './payment-methods.resource.js';

const INTENT_PARAMS = [
  'amount',
  'currency',
  'payment_method',
  'customer',
  'confirm',
  'capture_method',
  'transfer_data',
  'application_fee_amount',
  'on_behalf_of',
  'transfer_group',
  'description',
  'metadata',
  'payment_method_types',
  'automatic_payment_methods',
  'receipt_email',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'off_session',
  'setup_future_usage',
];

interface TransferData {
  destination: string;
  amount?: number;
}

/** `transfer_data` of a destination charge: an existing account, and at most the amount. */
function readTransferData(
  ctx: RequestContext,
  currency: string,
  amount: number,
  fee: number | undefined,
): TransferData | null {
  const transfer = optionalHash(ctx.params, 'transfer_data');
  if (!transfer) return null;
  if (ctx.scope !== null)
    throw invalidParam('transfer_data', 'transfer_data is not allowed on a direct charge');
  const destination = optionalString(transfer, 'destination', 'transfer_data[destination]');
  if (!destination || !accountOf(ctx.sandbox.store, destination))
    throw resourceMissing('account', destination ?? '', 'transfer_data[destination]');
  const transferAmount = readAmount(transfer, 'amount', currency, false);
  if (transferAmount !== undefined && transferAmount > amount)
    throw invalidParam('transfer_data[amount]', 'transfer_data[amount] cannot exceed amount');
  if (transferAmount !== undefined && fee !== undefined)
    throw invalidParam(
      'application_fee_amount',
      'Use either transfer_data[amount] or application_fee_amount',
    );
  return { destination, ...(transferAmount !== undefined ? { amount: transferAmount } : {}) };
}

/** Who takes part in the payment besides the card: fee, destination, `on_behalf_of`, customer. */
function readParties(ctx: RequestContext, currency: string, amount: number) {
  const fee = readAmount(ctx.params, 'application_fee_amount', currency, false);
  if (fee !== undefined && fee > amount)
    throw invalidParam('application_fee_amount', 'application_fee_amount cannot exceed amount');
  const transferData = readTransferData(ctx, currency, amount, fee);
  if (fee !== undefined && !transferData && ctx.scope === null) {
    throw invalidParam(
      'application_fee_amount',
      'An application fee can only be taken on a direct charge or with transfer_data',
    );
  }
  const onBehalfOf = optionalString(ctx.params, 'on_behalf_of');
  if (onBehalfOf && !accountOf(ctx.sandbox.store, onBehalfOf))
    throw resourceMissing('account', onBehalfOf, 'on_behalf_of');
  const customer = optionalString(ctx.params, 'customer');
  if (customer) findOwned(ctx, 'customer', customer, 'customer', 'customer');
  return { fee, transferData, onBehalfOf, customer };
}

function readCaptureMethod(params: FormObject): 'automatic' | 'manual' {
  const captureMethod = optionalString(params, 'capture_method') ?? 'automatic';
  if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod))
    throw invalidParam('capture_method', 'Invalid capture_method');
  return captureMethod === 'manual' ? 'manual' : 'automatic';
}

function createPaymentIntent(ctx: RequestContext): MoneyData {
  const currency = readCurrency(ctx.params);
  const amount = readChargeAmount(ctx.params, 'amount', currency);
  const { fee, transferData, onBehalfOf, customer } = readParties(ctx, currency, amount);
  const paymentMethod = optionalString(ctx.params, 'payment_method');
  if (paymentMethod) checkPaymentMethodCustomer(ctx, paymentMethod, customer ?? null);
  const captureMethod = readCaptureMethod(ctx.params);
  const text = (name: string) => optionalString(ctx.params, name) ?? null;
  const id = newId('pi');
  const intent = ctx.sandbox.store.insert<MoneyData>('payment_intent', ctx.scope, id, {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: fee ?? null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: captureMethod,
    client_secret: `${id}_secret_${newId('s').slice(4)}`,
    confirmation_method: 'automatic',
    created: ctx.sandbox.clock.now(),
    currency,
    customer: customer ?? null,
    description: text('description'),
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: applyMetadata({}, ctx.params),
    next_action: null,
    on_behalf_of: onBehalfOf ?? null,
    payment_method: text('payment_method'),
    payment_method_options: {},
    payment_method_types: ['card'],
    processing: null,
    receipt_email: text('receipt_email'),
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: text('statement_descriptor'),
    statement_descriptor_suffix: text('statement_descriptor_suffix'),
    status: text('payment_method') ? 'requires_confirmation' : 'requires_payment_method',
    transfer_data: transferData,
    transfer_group: text('transfer_group'),
  });
  emitIntent(ctx.sandbox, ctx, 'payment_intent.created', intent);
  if (optionalBoolean(ctx.params, 'confirm')) confirmIntent(ctx, intent);
  return { ...intent.data };
}

function findIntent(ctx: RequestContext) {
  return findOwned<MoneyData>(ctx, 'payment_intent', ctx.pathParams.id, 'payment_intent');
}

function retrievePaymentIntent(ctx: RequestContext): MoneyData {
  return plain(findIntent(ctx));
}

function confirmPaymentIntent(ctx: RequestContext): MoneyData {
  const intent = findIntent(ctx);
  if (
    !['requires_payment_method', 'requires_confirmation'].includes(intent.data.status as string)
  ) {
    throw invalidRequest(
      `This PaymentIntent's status is ${String(intent.data.status)}: it cannot be confirmed.`,
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  const pm = optionalString(ctx.params, 'payment_method');
  if (pm) intent.data = { ...intent.data, payment_method: pm };
  confirmIntent(ctx, intent);
  return { ...intent.data };
}

function capturePaymentIntent(ctx: RequestContext): MoneyData {
  const sandbox = ctx.sandbox;
  const intent = findIntent(ctx);
  if (intent.data.status !== 'requires_capture') {
    throw invalidRequest(
      `This PaymentIntent could not be captured because it has a status of ${String(intent.data.status)}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  const capturable = intent.data.amount_capturable as number;
  const currency = intent.data.currency as string;
  const amount = readAmount(ctx.params, 'amount_to_capture', currency, false) ?? capturable;
  if (amount > capturable)
    throw invalidParam(
      'amount_to_capture',
      `amount_to_capture cannot exceed ${capturable}`,
      'amount_too_large',
    );
  const fee = optionalInteger(ctx.params, 'application_fee_amount');
  if (fee !== undefined) intent.data = { ...intent.data, application_fee_amount: fee };
  const charge = sandbox.store.get<MoneyData>(intent.data.latest_charge as string)!;
  const pm = intent.data.payment_method as string;
  const { behaviour } = resolvePaymentMethod(ctx, pm, 'payment_method');
  settleCapture(sandbox, ctx, intent, charge, amount, behaviour);
  emitCharge(sandbox, ctx, 'charge.captured', charge);
  emitIntent(sandbox, ctx, 'payment_intent.succeeded', intent);
  return { ...intent.data };
}

function cancelPaymentIntent(ctx: RequestContext): MoneyData {
  const intent = findIntent(ctx);
  if (['succeeded', 'canceled'].includes(intent.data.status as string)) {
    throw invalidRequest(
      `You cannot cancel this PaymentIntent because it has a status of ${String(intent.data.status)}.`,
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  intent.data = {
    ...intent.data,
    status: 'canceled',
    canceled_at: ctx.sandbox.clock.now(),
    amount_capturable: 0,
    cancellation_reason: optionalString(ctx.params, 'cancellation_reason') ?? null,
  };
  ctx.sandbox.store.save(intent);
  emitIntent(ctx.sandbox, ctx, 'payment_intent.canceled', intent);
  return { ...intent.data };
}

function listPaymentIntents(ctx: RequestContext): unknown {
  return listOwned(ctx, 'payment_intent', '/v1/payment_intents', 'payment_intent');
}

export function registerPaymentIntents(sandbox: StripeSandbox): void {
  sandbox.renderer('payment_intent', ['pi'], plain);
  sandbox.route('POST', '/v1/payment_intents', createPaymentIntent, INTENT_PARAMS);
  sandbox.route('GET', '/v1/payment_intents/:id', retrievePaymentIntent);
  sandbox.route('POST', '/v1/payment_intents/:id/confirm', confirmPaymentIntent, [
    'payment_method',
    'return_url',
    'off_session',
  ]);
  sandbox.route('POST', '/v1/payment_intents/:id/capture', capturePaymentIntent, [
    'amount_to_capture',
    'application_fee_amount',
    'metadata',
  ]);
  sandbox.route('POST', '/v1/payment_intents/:id/cancel', cancelPaymentIntent, [
    'cancellation_reason',
  ]);
  sandbox.route('GET', '/v1/payment_intents', listPaymentIntents, MONEY_LIST_PARAMS);
}
