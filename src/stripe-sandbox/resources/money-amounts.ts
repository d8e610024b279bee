/** Amounts in a currency's smallest unit, within the limits Stripe sets for them. */
import type { FormObject } from '../form-codec.js';
import { invalidParam, missingParam } from '../sandbox.errors.js';
import { optionalInteger } from './params.js';

/** The largest amount Stripe takes in one request, in any currency. */
export const MAX_AMOUNT = 99_999_999;

/** Stripe's minimum charge amounts, in the smallest unit. */
const MINIMUMS: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  cad: 50,
  aud: 50,
  jpy: 50,
  chf: 50,
  dkk: 250,
  nok: 300,
  sek: 300,
};

const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Currencies whose amounts Stripe requires to end in 0. */
const ROUNDED_TO_TEN = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

function tooSmall(name: string, currency: string, minimum: number) {
  const shown = ZERO_DECIMAL.has(currency) ? `${minimum}` : `${(minimum / 100).toFixed(2)}`;
  return invalidParam(name, `Amount must be at least ${shown} ${currency}`, 'amount_too_small');
}

/** The amount parameter `name` (required or not); a charge's `amount` is held to the minimum. */
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
  const minimum = MINIMUMS[currency];
  if (name === 'amount' && minimum && amount < minimum) throw tooSmall(name, currency, minimum);
  if (ROUNDED_TO_TEN.includes(currency) && amount % 10 !== 0) {
    throw invalidParam(name, `Amounts in ${currency} must end in 0`, 'invalid_amount');
  }
  return amount;
}
