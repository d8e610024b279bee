/** Payment methods (`POST /v1/payment_methods`): cards, behaving as Stripe's test card numbers do. */
import { invalidParam, missingParam } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { cardFor } from './cards.js';
import { plain } from './money-data.js';
import { applyMetadata, optionalHash, optionalString } from './params.js';
import type { PaymentMethodData } from './payment-confirmation.js';

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
  const stored = ctx.sandbox.store.insert<PaymentMethodData>('payment_method', ctx.scope, id, {
    id,
    object: 'payment_method',
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: behaviour.brand,
      last4: behaviour.last4,
      funding: behaviour.funding,
      country: behaviour.country,
      exp_month: 12,
      exp_year: 2034,
    },
    created: ctx.sandbox.clock.now(),
    customer: null,
    livemode: false,
    metadata: applyMetadata({}, ctx.params),
    type: 'card',
    behaviour,
  });
  const { behaviour: _b, ...visible } = stored.data;
  return visible;
}

export function registerPaymentMethods(sandbox: StripeSandbox): void {
  sandbox.renderer('payment_method', ['pm'], plain);
  sandbox.route('POST', '/v1/payment_methods', createPaymentMethod, [
    'type',
    'card',
    'billing_details',
    'metadata',
  ]);
}
