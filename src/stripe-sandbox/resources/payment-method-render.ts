/** Card payment methods: what the sandbox keeps of one (its test behaviour besides), and Stripe's shape of it. */
import type { StoredObject } from '../sandbox.store.js';
import type { CardBehaviour } from './cards.js';
import type { MoneyData } from './money-data.js';

export interface PaymentMethodData extends MoneyData {
  card: {
    brand: string;
    last4: string;
    funding: string;
    country: string;
    exp_month: number;
    exp_year: number;
  };
  /** What a payment with this card does: kept by the sandbox, never rendered. */
  behaviour: CardBehaviour;
  /** Detached from a customer: Stripe never lets it be used again. Never rendered. */
  consumed?: boolean;
}

export function newPaymentMethod(
  id: string,
  behaviour: CardBehaviour,
  created: number,
  metadata: Record<string, string>,
): PaymentMethodData {
  return {
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
    created,
    customer: null,
    livemode: false,
    metadata,
    type: 'card',
    behaviour,
  };
}

export function renderPaymentMethod(stored: StoredObject): Record<string, unknown> {
  const {
    behaviour: _behaviour,
    consumed: _consumed,
    ...visible
  } = stored.data as PaymentMethodData;
  return visible;
}
