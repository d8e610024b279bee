/**
 * Payment methods (`/v1/payment_methods`): cards, behaving as Stripe's test card numbers do; attached to a
 * customer (a test id such as `pm_card_visa` is cloned into a new `pm_…`, as Stripe does), listed by customer,
 * detached (then never usable again).
 */
import {
  invalidParam,
  invalidRequest,
  missingParam,
  resourceMissing,
  SandboxError,
} from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { cardFor, isTestPaymentMethodId } from './cards.js';
import { emitFrom } from './event-emission.js';
import { applyMetadata, optionalHash, optionalString, PAGE_PARAMS } from './params.js';
import {
  newPaymentMethod,
  renderPaymentMethod,
  type PaymentMethodData,
} from './payment-method-render.js';
import { clearDefaultPaymentMethod, findCustomer } from './customers.resource.js';

/** The card behind `pm_card_chargeCustomerFail`: it attaches, then its charges fail. */
const CHARGE_CUSTOMER_FAIL = '0341';

function createPaymentMethod(ctx: RequestContext): Record<string, unknown> {
  if (optionalString(ctx.params, 'type') !== 'card')
    throw invalidParam('type', 'The sandbox takes type=card');
  const card = optionalHash(ctx.params, 'card') ?? {};
  const reference =
    optionalString(card, 'token', 'card[token]') ??
    optionalString(card, 'number', 'card[number]')?.replace(/\s/g, '');
  if (!reference) throw missingParam('card[number]');
  const behaviour = cardFor(reference);
  if (!behaviour)
    throw invalidParam('card[number]', 'Your card number is incorrect.', 'incorrect_number');
  const id = newId('pm');
  const created = ctx.sandbox.clock.now();
  const data = newPaymentMethod(id, behaviour, created, applyMetadata({}, ctx.params));
  return renderPaymentMethod(ctx.sandbox.store.insert('payment_method', ctx.scope, id, data));
}

/** A stored payment method of the caller (the platform, or the account of `Stripe-Account`). */
function findStored(
  ctx: RequestContext,
  id: string,
  param = 'id',
): StoredObject<PaymentMethodData> {
  const stored = ctx.sandbox.store.get<PaymentMethodData>(id);
  if (!stored || stored.kind !== 'payment_method' || stored.scope !== ctx.scope)
    throw resourceMissing('PaymentMethod', id, param);
  return stored;
}

function retrievePaymentMethod(ctx: RequestContext): Record<string, unknown> {
  const id = ctx.pathParams.id;
  if (isTestPaymentMethodId(id)) {
    const behaviour = cardFor(id)!;
    return renderPaymentMethod({
      id,
      kind: 'payment_method',
      scope: null,
      seq: 0,
      data: newPaymentMethod(id, behaviour, ctx.sandbox.clock.now(), {}),
    });
  }
  return renderPaymentMethod(findStored(ctx, id));
}

/** Stripe's refusal to save one of its declining test cards ("can't be attached to a Customer"). */
function refuseDecliningCard(data: PaymentMethodData): void {
  const decline = data.behaviour.decline;
  if (!decline || data.card.last4 === CHARGE_CUSTOMER_FAIL) return;
  throw new SandboxError(402, 'card_error', decline.message, {
    code: decline.code,
    decline_code: decline.declineCode,
  });
}

function attachPaymentMethod(ctx: RequestContext): Record<string, unknown> {
  const customerId = optionalString(ctx.params, 'customer');
  if (!customerId) throw missingParam('customer');
  const customer = findCustomer(ctx, customerId, 'customer');
  const id = ctx.pathParams.id;
  const store = ctx.sandbox.store;
  let stored: StoredObject<PaymentMethodData>;
  if (isTestPaymentMethodId(id)) {
    // Stripe attaches a copy of its test payment method: a new `pm_…` of the customer.
    const clone = newId('pm');
    stored = store.insert<PaymentMethodData>(
      'payment_method',
      ctx.scope,
      clone,
      newPaymentMethod(clone, cardFor(id)!, ctx.sandbox.clock.now(), {}),
    );
  } else {
    stored = findStored(ctx, id);
    if (stored.data.customer === customer.id) return renderPaymentMethod(stored);
    if (stored.data.customer)
      throw invalidRequest(
        'The payment method you provided has already been attached to a customer.',
        'payment_method',
        'payment_method_unexpected_state',
      );
    if (stored.data.consumed)
      throw invalidRequest(
        'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
        'payment_method',
        'payment_method_unexpected_state',
      );
  }
  refuseDecliningCard(stored.data);
  stored.data = { ...stored.data, customer: customer.id };
  store.save(stored);
  const body = renderPaymentMethod(stored);
  emitFrom(ctx, 'payment_method.attached', body, ctx.scope);
  return body;
}

function detachPaymentMethod(ctx: RequestContext): Record<string, unknown> {
  const stored = findStored(ctx, ctx.pathParams.id);
  const customer = stored.data.customer as string | null;
  if (!customer)
    throw invalidRequest(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
      undefined,
      'payment_method_unexpected_state',
    );
  stored.data = { ...stored.data, customer: null, consumed: true };
  ctx.sandbox.store.save(stored);
  const body = renderPaymentMethod(stored);
  emitFrom(ctx, 'payment_method.detached', body, ctx.scope);
  clearDefaultPaymentMethod(ctx, customer, stored.id);
  return body;
}

function listFor(ctx: RequestContext, customerId: string, url: string): unknown {
  const type = optionalString(ctx.params, 'type');
  if (type !== undefined && type !== 'card')
    throw invalidParam('type', 'The sandbox keeps payment methods of type card');
  const items = ctx.sandbox.store.list<PaymentMethodData>(
    'payment_method',
    (pm) => pm.scope === ctx.scope && pm.data.customer === customerId,
  );
  return paginate(ctx.params, items, renderPaymentMethod, url, 'payment_method');
}

function listPaymentMethods(ctx: RequestContext): unknown {
  const customer = optionalString(ctx.params, 'customer');
  // Stripe lists a customer's payment methods here; without `customer`, the sandbox has none to list.
  if (!customer) throw missingParam('customer');
  findCustomer(ctx, customer, 'customer');
  return listFor(ctx, customer, '/v1/payment_methods');
}

function listCustomerPaymentMethods(ctx: RequestContext): unknown {
  const customer = findCustomer(ctx, ctx.pathParams.id);
  return listFor(ctx, customer.id, `/v1/customers/${customer.id}/payment_methods`);
}

function retrieveCustomerPaymentMethod(ctx: RequestContext): Record<string, unknown> {
  const customer = findCustomer(ctx, ctx.pathParams.id);
  const stored = findStored(ctx, ctx.pathParams.payment_method);
  if (stored.data.customer !== customer.id)
    throw resourceMissing('PaymentMethod', stored.id, 'payment_method');
  return renderPaymentMethod(stored);
}

/**
 * Refuses a payment method attached to a customer other than the PaymentIntent's, as Stripe does (a saved
 * card is charged only with its own customer).
 */
export function checkPaymentMethodCustomer(
  ctx: RequestContext,
  paymentMethod: string,
  customer: string | null,
): void {
  const stored = ctx.sandbox.store.get<PaymentMethodData>(paymentMethod);
  if (!stored || stored.kind !== 'payment_method') return;
  const owner = stored.data.customer as string | null;
  if (stored.data.consumed)
    throw invalidRequest(
      'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
      'payment_method',
      'payment_method_unexpected_state',
    );
  if (!owner || owner === customer) return;
  throw invalidRequest(
    customer
      ? `The provided PaymentMethod (${stored.id}) is attached to another Customer than the one (${customer}) on this PaymentIntent.`
      : `The payment method supplied (${stored.id}) belongs to the Customer ${owner}. Please include the Customer in the \`customer\` parameter on the PaymentIntent.`,
    'payment_method',
    'payment_method_unexpected_state',
  );
}

export function registerPaymentMethods(sandbox: StripeSandbox): void {
  sandbox.renderer('payment_method', ['pm'], renderPaymentMethod);
  sandbox.route('POST', '/v1/payment_methods', createPaymentMethod, [
    'type',
    'card',
    'billing_details',
    'metadata',
  ]);
  sandbox.route('GET', '/v1/payment_methods/:id', retrievePaymentMethod);
  sandbox.route('GET', '/v1/payment_methods', listPaymentMethods, [
    ...PAGE_PARAMS,
    'customer',
    'type',
  ]);
  sandbox.route('POST', '/v1/payment_methods/:id/attach', attachPaymentMethod, ['customer']);
  sandbox.route('POST', '/v1/payment_methods/:id/detach', detachPaymentMethod, []);
  sandbox.route('GET', '/v1/customers/:id/payment_methods', listCustomerPaymentMethods, [
    ...PAGE_PARAMS,
    'type',
    'allow_redisplay',
  ]);
  sandbox.route(
    'GET',
    '/v1/customers/:id/payment_methods/:payment_method',
    retrieveCustomerPaymentMethod,
  );
}
