/** Payment methods (`POST /v1/payment_methods`): cards, behaving as Stripe's test card numbers do. */
import { invalidParam, missingParam } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { cardFor } from './cards.js';
import { applyMetadata, optionalHash, optionalString } from './params.js';
import { newPaymentMethod, renderPaymentMethod } from './payment-method-render.js';

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

export function registerPaymentMethods(sandbox: StripeSandbox): void {
  sandbox.renderer('payment_method', ['pm'], renderPaymentMethod);
  sandbox.route('POST', '/v1/payment_methods', createPaymentMethod, [
    'type',
    'card',
    'billing_details',
    'metadata',
  ]);
}
