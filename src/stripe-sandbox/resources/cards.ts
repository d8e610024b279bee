/**
 * Stripe's test cards: what a payment with each does (succeed, decline with a code, bypass the pending balance),
 * by PaymentMethod id (`pm_card_visa`), token (`tok_visa`) or number.
 */
export interface CardBehaviour {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  /** A decline: Stripe's `code` and `decline_code`, and its message. */
  decline?: { code: string; declineCode?: string; message: string };
  /** Funds skip the pending balance (`pm_card_bypassPending`). */
  bypassPending?: boolean;
  /** Moves the connected account's eventually-due requirements to currently due (Connect charges only). */
  triggerNextRequirements?: boolean;
}

const GENERIC = {
  code: 'card_declined',
  declineCode: 'generic_decline',
  message: 'Your card was declined.',
};

const BY_NUMBER: Record<string, Omit<CardBehaviour, 'last4'>> = {
  '4242424242424242': { brand: 'visa', funding: 'credit', country: 'US' },
  '4000056655665556': { brand: 'visa', funding: 'debit', country: 'US' },
  '5555555555554444': { brand: 'mastercard', funding: 'credit', country: 'US' },
  '378282246310005': { brand: 'amex', funding: 'credit', country: 'US' },
  '4000000000000077': { brand: 'visa', funding: 'credit', country: 'US', bypassPending: true },
  '4000003720000278': { brand: 'visa', funding: 'credit', country: 'GB', bypassPending: true },
  '4000000000004202': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    triggerNextRequirements: true,
  },
  '4000000000000002': { brand: 'visa', funding: 'credit', country: 'US', decline: GENERIC },
  '4000000000009995': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
  '4000000000009987': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: {
      code: 'card_declined',
      declineCode: 'lost_card',
      message: 'Your card was declined.',
    },
  },
  '4000000000009979': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: {
      code: 'card_declined',
      declineCode: 'stolen_card',
      message: 'Your card was declined.',
    },
  },
  '4000000000000069': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: { code: 'expired_card', message: 'Your card has expired.' },
  },
  '4000000000000127': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: { code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  },
  '4000000000000119': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: {
      code: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
  '4000000000006975': {
    brand: 'visa',
    funding: 'credit',
    country: 'US',
    decline: {
      code: 'card_declined',
      declineCode: 'card_velocity_exceeded',
      message:
        'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    },
  },
  '4000000000000341': { brand: 'visa', funding: 'credit', country: 'US', decline: GENERIC },
};

/** Test PaymentMethod ids and tokens, by the card number they stand for. */
const ALIASES: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  tok_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  tok_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  tok_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  tok_amex: '378282246310005',
  pm_card_bypassPending: '4000000000000077',
  tok_bypassPending: '4000000000000077',
  pm_card_bypassPendingInternational: '4000003720000278',
  pm_card_visa_triggerNextRequirements: '4000000000004202',
  tok_visa_triggerNextRequirements: '4000000000004202',
  tok_visa_triggerVerification: '4000000000004202',
  pm_card_visa_chargeDeclined: '4000000000000002',
  tok_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: '4000000000006975',
  pm_card_chargeCustomerFail: '4000000000000341',
  tok_chargeCustomerFail: '4000000000000341',
};

function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The behaviour of a test PaymentMethod id, token or card number; undefined when unknown. */
export function cardFor(reference: string): CardBehaviour | undefined {
  const number = ALIASES[reference] ?? (/^\d{13,19}$/.test(reference) ? reference : undefined);
  if (!number) return undefined;
  const known = BY_NUMBER[number];
  if (known) return { ...known, last4: number.slice(-4) };
  if (!luhn(number)) {
    return {
      brand: 'unknown',
      funding: 'credit',
      country: 'US',
      last4: number.slice(-4),
      decline: { code: 'incorrect_number', message: 'Your card number is incorrect.' },
    };
  }
  const brand = number.startsWith('4')
    ? 'visa'
    : /^5[1-5]|^2[2-7]/.test(number)
      ? 'mastercard'
      : /^3[47]/.test(number)
        ? 'amex'
        : 'unknown';
  return { brand, funding: 'credit', country: 'US', last4: number.slice(-4) };
}

export function isTestPaymentMethodId(reference: string): boolean {
  return reference in ALIASES && reference.startsWith('pm_');
}
