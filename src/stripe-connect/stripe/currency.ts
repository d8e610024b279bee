/**
 * Money as Stripe counts it: integer minor units of an ISO currency. One table of exponents (zero-decimal,
 * two-decimal by default, three-decimal), Stripe's special cases, and exact conversions to and from decimal
 * strings (never floats). Pure functions.
 */

/** Currencies without minor units: 1000 JPY is `1000`. */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
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

/** Currencies with three decimals; Stripe wants their last digit 0 (amounts in multiples of 10). */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'bhd',
  'jod',
  'kwd',
  'omr',
  'tnd',
]);

/** Two-decimal currencies that Stripe pays out in whole units only (amounts in multiples of 100). */
export const WHOLE_UNIT_PAYOUT_CURRENCIES: ReadonlySet<string> = new Set(['huf', 'isk', 'twd']);

/** Stripe's minimum charge amounts, in minor units, where it documents them. */
export const MINIMUM_CHARGE_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/**
 * The currencies Stripe accepts in charges (its presentment currencies), lowercase ISO 4217. Anything else
 * (`xyz`, `btc`) is refused before Stripe is called. Their exponent is `currencyExponent`'s.
 */
export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd ' +
    'cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq ' +
    'gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd ' +
    'lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk ' +
    'php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top ' +
    'try ttd twd tzs uah ugx usd uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw'
  ).split(' '),
);

/** True for a currency Stripe accepts (lowercase code). */
export function isSupportedCurrency(currency: unknown): currency is string {
  return typeof currency === 'string' && SUPPORTED_CURRENCIES.has(currency);
}

/** Stripe's largest amount: 99,999,999 minor units (eight digits). */
export const MAXIMUM_AMOUNT = 99_999_999;

export class MoneyError extends Error {}

const CURRENCY = /^[a-z]{3}$/;

function normalize(currency: string): string {
  const code = currency.toLowerCase();
  if (!CURRENCY.test(code)) throw new MoneyError(`"${currency}" is not an ISO 4217 currency code`);
  if (!SUPPORTED_CURRENCIES.has(code))
    throw new MoneyError(`"${currency}" is not a currency Stripe supports`);
  return code;
}

/** How many decimals the currency has in Stripe's amounts: 0, 2 or 3. */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  const code = normalize(currency);
  if (ZERO_DECIMAL_CURRENCIES.has(code)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(code)) return 3;
  return 2;
}

/** `"12.34"` USD → `1234`; refuses more precision than the currency has, and non-numbers. */
export function toMinorUnits(decimal: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new MoneyError(`"${decimal}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new MoneyError(
      `${currency.toUpperCase()} has ${exponent} decimals: "${decimal}" has more`,
    );
  }
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new MoneyError(`"${decimal}" is too large`);
  return sign ? -value : value;
}

/** `1234` USD → `"12.34"`; `1000` JPY → `"1000"`; `1500` KWD → `"1.500"`. */
export function fromMinorUnits(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new MoneyError(`${amount} is not an integer amount`);
  const exponent = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Why an amount cannot be charged in the currency (Stripe's minimum, maximum and digit rules), or null. */
export function chargeAmountProblem(amount: number, currency: string): string | null {
  const code = normalize(currency);
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return 'must be a positive integer number of minor units';
  if (amount > MAXIMUM_AMOUNT) return `must be at most ${MAXIMUM_AMOUNT}`;
  const minimum = MINIMUM_CHARGE_AMOUNTS[code];
  if (minimum !== undefined && amount < minimum) {
    return `must be at least ${minimum} (${fromMinorUnits(minimum, code)} ${code.toUpperCase()})`;
  }
  if (THREE_DECIMAL_CURRENCIES.has(code) && amount % 10 !== 0) {
    return `must end in 0: ${code.toUpperCase()} amounts are charged in multiples of 10 minor units`;
  }
  return null;
}

/** Why an amount cannot be paid out in the currency, or null. */
export function payoutAmountProblem(amount: number, currency: string): string | null {
  const code = normalize(currency);
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return 'must be a positive integer number of minor units';
  if (amount > MAXIMUM_AMOUNT) return `must be at most ${MAXIMUM_AMOUNT}`;
  if (WHOLE_UNIT_PAYOUT_CURRENCIES.has(code) && amount % 100 !== 0) {
    return `must be whole ${code.toUpperCase()} (a multiple of 100 minor units) in payouts`;
  }
  if (THREE_DECIMAL_CURRENCIES.has(code) && amount % 10 !== 0)
    return `must end in 0 for ${code.toUpperCase()}`;
  return null;
}
