/**
 * Bank accounts as Stripe takes them (`external_account` as a token or a hash), validated per country, with
 * Stripe's test numbers deciding what a payout to them will do. The full account number is never kept: only
 * its last four digits, a fingerprint, and the test behaviour it selects.
 */
import { createHash } from 'node:crypto';
import type { FormValue } from '../form-codec.js';
import { invalidParam, missingParam, resourceMissing } from '../sandbox.errors.js';
import { SANDBOX_COUNTRIES } from './countries.js';

export interface BankAccountDetails {
  country: string;
  currency: string;
  routing_number: string | null;
  last4: string;
  fingerprint: string;
  account_holder_name: string | null;
  account_holder_type: 'individual' | 'company' | null;
  /** What a payout to this account does in test mode: null succeeds, else Stripe's failure code. */
  payout_failure_code: string | null;
  instant_payouts: boolean;
}

/** Stripe's test account numbers (their significant digits) and the payout failures they select. */
const TEST_OUTCOMES: [RegExp, string | null][] = [
  [/111111116$/, 'no_account'],
  [/111111113$/, 'account_closed'],
  [/222222227$/, 'insufficient_funds'],
  [/333333335$/, 'debit_not_authorized'],
  [/444444440$/, 'invalid_currency'],
  [/11111116$/, 'no_account'],
  [/11111113$/, 'account_closed'],
  [/22222227$/, 'insufficient_funds'],
  [/33333335$/, 'debit_not_authorized'],
  [/44444440$/, 'invalid_currency'],
];
/** The German test IBANs end in 0532013000 … 0532013005. */
const IBAN_OUTCOMES = [
  null,
  'no_account',
  'account_closed',
  'insufficient_funds',
  'debit_not_authorized',
  'invalid_currency',
];

const TOKENS: Record<string, { account: string; routing: string }> = {
  btok_us: { account: '000123456789', routing: '110000000' },
  btok_us_verified: { account: '000123456789', routing: '110000000' },
  btok_us_verified_noAccount: { account: '000111111116', routing: '110000000' },
  btok_us_verified_accountClosed: { account: '000111111113', routing: '110000000' },
  btok_us_verified_insufficientFunds: { account: '000222222227', routing: '110000000' },
  btok_us_verified_debitNotAuthorized: { account: '000333333335', routing: '110000000' },
  btok_us_verified_invalidCurrency: { account: '000444444440', routing: '110000000' },
};

export function abaChecksumValid(routing: string): boolean {
  if (!/^\d{9}$/.test(routing)) return false;
  const d = routing.split('').map(Number);
  return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 === 0;
}

export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function outcomeOf(accountNumber: string, isIban: boolean): string | null {
  if (isIban && /053201300[0-5]$/.test(accountNumber)) {
    return IBAN_OUTCOMES[Number(accountNumber.slice(-1))];
  }
  for (const [pattern, outcome] of TEST_OUTCOMES) if (pattern.test(accountNumber)) return outcome;
  return null;
}

function str(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** How a country's domestic bank details are checked: its routing number (normalised) and account number. */
interface DomesticRules {
  routing: (raw: string) => string | null;
  routingMessage: (raw: string) => string;
  account: RegExp;
  accountMessage: string;
}

const DOMESTIC: Record<'us' | 'ca' | 'gb' | 'au', DomesticRules> = {
  us: {
    routing: (raw) => (abaChecksumValid(raw) ? raw : null),
    routingMessage: (raw) => `Invalid routing number: ${raw}`,
    account: /^\d{4,17}$/,
    accountMessage: 'Invalid account number: must be 4 to 17 digits',
  },
  ca: {
    routing: (raw) => {
      const match = /^(\d{5})-?(\d{3})$/.exec(raw);
      return match ? `${match[1]}-${match[2]}` : null;
    },
    routingMessage: () =>
      'Invalid routing number: use the transit and institution numbers (TTTTT-III)',
    account: /^\d{7,12}$/,
    accountMessage: 'Invalid account number: must be 7 to 12 digits',
  },
  gb: {
    routing: (raw) => sixDigits(raw),
    routingMessage: () => 'Invalid sort code: must be 6 digits',
    account: /^\d{8}$/,
    accountMessage: 'Invalid account number: must be 8 digits',
  },
  au: {
    routing: (raw) => sixDigits(raw),
    routingMessage: () => 'Invalid BSB: must be 6 digits',
    account: /^\d{5,9}$/,
    accountMessage: 'Invalid account number: must be 5 to 9 digits',
  },
};

function sixDigits(raw: string): string | null {
  const digits = raw.replace(/-/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The hash form's country (the account's by default) and currency, one the country's banks hold. */
function readCountryAndCurrency(
  value: Record<string, FormValue>,
  param: string,
  accountCountry: string,
): { country: string; currency: string } {
  const object = str(value.object) ?? 'bank_account';
  if (object !== 'bank_account') {
    throw invalidParam(
      `${param}[object]`,
      `Invalid ${param}[object]: the sandbox takes bank_account`,
    );
  }
  const country = (str(value.country) ?? accountCountry).toUpperCase();
  const rules = SANDBOX_COUNTRIES[country];
  if (!rules) throw invalidParam(`${param}[country]`, `Invalid country: ${country}`);
  const currency = str(value.currency)?.toLowerCase();
  if (!currency) throw missingParam(`${param}[currency]`);
  if (!rules.currencies.includes(currency)) {
    throw invalidParam(
      `${param}[currency]`,
      `Invalid currency: ${currency} is not supported for bank accounts in ${country}`,
    );
  }
  return { country, currency };
}

function readHolderType(value: Record<string, FormValue>, param: string): string | undefined {
  const holderType = str(value.account_holder_type);
  if (holderType !== undefined && holderType !== 'individual' && holderType !== 'company') {
    throw invalidParam(
      `${param}[account_holder_type]`,
      'Invalid account_holder_type: must be individual or company',
    );
  }
  return holderType;
}

/** Domestic details: the routing number (normalised) and account number checked by the country's rules. */
function readDomestic(
  rules: DomesticRules,
  routingRaw: string,
  accountNumber: string,
  param: string,
): string {
  const routing = rules.routing(routingRaw);
  if (!routing)
    throw invalidParam(
      `${param}[routing_number]`,
      rules.routingMessage(routingRaw),
      'routing_number_invalid',
    );
  if (!rules.account.test(accountNumber))
    throw invalidParam(`${param}[account_number]`, rules.accountMessage, 'account_number_invalid');
  return routing;
}

/** Reads `external_account` (param name given for errors) for an account of `accountCountry`. */
export function readBankAccount(
  value: FormValue,
  param: string,
  accountCountry: string,
): BankAccountDetails {
  if (typeof value === 'string') {
    const token = TOKENS[value];
    if (!token) throw resourceMissing('token', value, param);
    return build('US', 'usd', token.routing, token.account, null, null);
  }
  if (Array.isArray(value))
    throw invalidParam(param, `Invalid ${param}: must be a token or a hash`);
  const { country, currency } = readCountryAndCurrency(value, param, accountCountry);
  const rawNumber = str(value.account_number);
  if (!rawNumber) throw missingParam(`${param}[account_number]`);
  const accountNumber = rawNumber.replace(/[\s-]/g, '').toUpperCase();
  const routingRaw = str(value.routing_number)?.replace(/\s/g, '');
  const holderType = readHolderType(value, param);
  const holderName = str(value.account_holder_name) ?? null;
  const bank = SANDBOX_COUNTRIES[country].bank;
  if (bank === 'iban' || (country === 'GB' && /^[A-Z]{2}/.test(accountNumber))) {
    if (!ibanValid(accountNumber) || !accountNumber.startsWith(country)) {
      throw invalidParam(
        `${param}[account_number]`,
        `The IBAN you provided (${mask(accountNumber)}) is invalid.`,
        'invalid_bank_account_iban',
      );
    }
    return build(country, currency, null, accountNumber, holderName, holderType, true);
  }
  if (!routingRaw) throw missingParam(`${param}[routing_number]`);
  const routing = readDomestic(DOMESTIC[bank], routingRaw, accountNumber, param);
  return build(country, currency, routing, accountNumber, holderName, holderType);
}

function mask(value: string): string {
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

function build(
  country: string,
  currency: string,
  routing: string | null,
  accountNumber: string,
  holderName: string | null,
  holderType: string | undefined | null,
  isIban = false,
): BankAccountDetails {
  const outcome = outcomeOf(accountNumber, isIban);
  return {
    country,
    currency,
    routing_number: routing,
    last4: accountNumber.slice(-4),
    fingerprint: createHash('sha256')
      .update(`${country}|${routing ?? ''}|${accountNumber}`)
      .digest('base64url')
      .slice(0, 16),
    account_holder_name: holderName,
    account_holder_type: (holderType as 'individual' | 'company' | undefined) ?? null,
    payout_failure_code: outcome,
    instant_payouts: !/888888883$/.test(accountNumber),
  };
}
