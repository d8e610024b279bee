/** Amounts in a currency's smallest unit, within the limits Stripe sets for them. */
import type { FormObject } from '../form-codec.js';
import { invalidParam, invalidRequest, missingParam } from '../sandbox.errors.js';
import { MINIMUM_CHARGE, SUPPORTED_CURRENCIES, THREE_DECIMAL, ZERO_DECIMAL } from './currencies.js';
import { optionalInteger, optionalString } from './params.js';

/** The largest amount Stripe takes in one request, in any currency. */
export const MAX_AMOUNT = 99_999_999;

/** `150` as `1.50`, in integers. */
function formatMinor(amount: number): string {
  return `${Math.trunc(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

function tooSmall(name: string, currency: string, minimum: number) {
  const shown = ZERO_DECIMAL.has(currency) ? `${minimum}` : formatMinor(minimum);
  return invalidParam(name, `Amount must be at least ${shown} ${currency}`, 'amount_too_small');
}

/** The `currency` parameter (required): one Stripe supports, lowercased. */
export function readCurrency(params: FormObject, name = 'currency'): string {
  const raw = optionalString(params, name);
  if (!raw) throw missingParam(name);
  const currency = raw.toLowerCase();
  if (!SUPPORTED_CURRENCIES.has(currency)) {
    throw invalidRequest(
      `Invalid currency: ${raw}. Stripe currently supports these currencies: ${[...SUPPORTED_CURRENCIES].join(', ')}`,
      name,
    );
  }
  return currency;
}

/**
 * The amount parameter `name` (required or not), in the smallest unit of `currency`: a positive integer no
 * larger than Stripe's maximum, ending in 0 in a three-decimal currency.
 */
export function readAmount(
  params: FormObject,
  name: string,
  currency: string,
  required: boolean,
): number | undefined {
  const amount = optionalInteger(params, name);
  if (amount === undefined) {
    if (required) throw missingParam(name);
    return undefined;
  }
  if (amount <= 0)
    throw invalidParam(name, `Invalid positive integer`, 'parameter_invalid_integer');
  if (amount > MAX_AMOUNT)
    throw invalidParam(name, 'Amount must be no more than 99,999,999', 'amount_too_large');
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw invalidParam(name, `Amounts in ${currency} must end in 0`, 'invalid_amount');
  }
  return amount;
}

/** A charge's amount (required), held besides to Stripe's minimum charge amount in its currency. */
export function readChargeAmount(params: FormObject, name: string, currency: string): number {
  const amount = readAmount(params, name, currency, true)!;
  const minimum = MINIMUM_CHARGE[currency];
  if (minimum !== undefined && amount < minimum) throw tooSmall(name, currency, minimum);
  return amount;
}

/**
 * The share of `total` that refunding `amount` of `captured` gives back, rounded half up, never more than
 * `left`: integer arithmetic only (the product of two amounts can exceed what a double holds exactly).
 */
export function prorate(total: number, amount: number, captured: number, left: number): number {
  const product = BigInt(total) * BigInt(amount);
  const whole = product / BigInt(captured);
  const rest = product % BigInt(captured);
  const share = Number(2n * rest >= BigInt(captured) ? whole + 1n : whole);
  return Math.min(share, left);
}
