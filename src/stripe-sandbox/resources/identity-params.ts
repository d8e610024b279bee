/** Readers of the identity parameters of accounts and persons: addresses, dates of birth, individuals, companies. */
import type { FormObject, FormValue } from '../form-codec.js';
import { invalidParam } from '../sandbox.errors.js';
import { SANDBOX_COUNTRIES } from './countries.js';
import {
  applyMetadata,
  mergeHash,
  onlyKeys,
  optionalBoolean,
  optionalInteger,
  optionalString,
} from './params.js';

const ADDRESS_KEYS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'];
export const INDIVIDUAL_KEYS = [
  'address',
  'dob',
  'email',
  'first_name',
  'last_name',
  'phone',
  'id_number',
  'ssn_last_4',
  'gender',
  'maiden_name',
  'metadata',
  'political_exposure',
  'verification',
];
const COMPANY_KEYS = [
  'address',
  'name',
  'phone',
  'tax_id',
  'registration_number',
  'structure',
  'owners_provided',
  'directors_provided',
  'executives_provided',
  'verification',
];
const PROFILE_KEYS = [
  'mcc',
  'name',
  'product_description',
  'support_email',
  'support_phone',
  'support_url',
  'url',
];

function readAddress(value: FormValue, param: string, country: string): FormObject {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      param,
      `Invalid object: ${param} must be a hash`,
      'parameter_invalid_object',
    );
  }
  onlyKeys(value, ADDRESS_KEYS, param);
  const state = value.state;
  if (
    typeof state === 'string' &&
    state &&
    SANDBOX_COUNTRIES[country]?.hasState &&
    !/^[A-Za-z]{2,3}$/.test(state)
  ) {
    throw invalidParam(`${param}[state]`, `Invalid state: ${state}`, 'invalid_address_state');
  }
  return value;
}

function readDob(value: FormValue, param: string, now: number): Record<string, number> {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      param,
      `Invalid object: ${param} must be a hash`,
      'parameter_invalid_object',
    );
  }
  onlyKeys(value, ['day', 'month', 'year'], param);
  const year = optionalInteger(value, 'year', `${param}[year]`);
  const month = optionalInteger(value, 'month', `${param}[month]`);
  const day = optionalInteger(value, 'day', `${param}[day]`);
  const currentYear = new Date(now * 1000).getUTCFullYear();
  if (day !== undefined && (day < 1 || day > 31))
    throw invalidParam(`${param}[day]`, 'Invalid day: must be between 1 and 31');
  if (month !== undefined && (month < 1 || month > 12))
    throw invalidParam(`${param}[month]`, 'Invalid month: must be between 1 and 12');
  if (year !== undefined && (year < 1900 || year > currentYear)) {
    throw invalidParam(`${param}[year]`, `Invalid year: must be between 1900 and ${currentYear}`);
  }
  if (year !== undefined && month !== undefined && day !== undefined) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCDate() !== day) throw invalidParam(`${param}[day]`, 'Invalid date of birth');
    const age = (now * 1000 - date.getTime()) / (365.25 * 24 * 3600 * 1000);
    if (age < 13)
      throw invalidParam(
        `${param}[year]`,
        'You must be at least 13 years of age.',
        'invalid_dob_age_under_minimum',
      );
  }
  return {
    ...(day !== undefined ? { day } : {}),
    ...(month !== undefined ? { month } : {}),
    ...(year !== undefined ? { year } : {}),
  };
}

export function readIndividual(
  current: Record<string, unknown> | null,
  value: FormObject,
  country: string,
  now: number,
  prefix = 'individual',
): Record<string, unknown> {
  /** `individual[dob]` on an account, `dob` on a person. */
  const param = (name: string) => (prefix ? `${prefix}[${name}]` : name);
  onlyKeys(value, prefix ? INDIVIDUAL_KEYS : [...INDIVIDUAL_KEYS, 'relationship'], prefix);
  const { address, dob, metadata: _metadata, relationship: _relationship, ...plain } = value;
  const next = mergeHash(current, plain);
  if (address !== undefined)
    next.address = mergeHash(
      current?.address as Record<string, unknown>,
      readAddress(address, param('address'), country),
    );
  if (dob !== undefined)
    next.dob = { ...(current?.dob as object), ...readDob(dob, param('dob'), now) };
  const ssn = optionalString(value, 'ssn_last_4', param('ssn_last_4'));
  if (ssn && !/^\d{4}$/.test(ssn))
    throw invalidParam(
      param('ssn_last_4'),
      'Invalid ssn_last_4: must be 4 digits',
      'invalid_ssn_last_4',
    );
  const idNumber = optionalString(value, 'id_number', param('id_number'));
  if (idNumber && country === 'US' && !/^\d{9}$/.test(idNumber.replace(/-/g, ''))) {
    throw invalidParam(
      param('id_number'),
      'Invalid id_number: a US SSN has 9 digits',
      'invalid_tax_id',
    );
  }
  const email = optionalString(value, 'email', param('email'));
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw invalidParam(param('email'), `Invalid email address: ${email}`, 'email_invalid');
  if (value.metadata !== undefined)
    next.metadata = applyMetadata((current?.metadata as Record<string, string>) ?? {}, value);
  // Stripe never returns id numbers; the sandbox does not even keep them, only that they were given.
  if (idNumber) {
    next.id_number_provided = true;
    // Stripe's test values: 111111111 fails the identity match; 000000000 and 222222222 match.
    next.id_number_mismatch = idNumber.replace(/-/g, '') === '111111111';
  }
  if (ssn) next.ssn_last_4_provided = true;
  delete next.id_number;
  delete next.ssn_last_4;
  return next;
}

export function readCompany(
  current: Record<string, unknown> | null,
  value: FormObject,
  country: string,
): Record<string, unknown> {
  onlyKeys(value, COMPANY_KEYS, 'company');
  const { address, ...plain } = value;
  const next = mergeHash(current, plain);
  if (address !== undefined)
    next.address = mergeHash(
      current?.address as Record<string, unknown>,
      readAddress(address, 'company[address]', country),
    );
  for (const flag of ['owners_provided', 'directors_provided', 'executives_provided']) {
    const parsed = optionalBoolean(value, flag, `company[${flag}]`);
    if (parsed !== undefined) next[flag] = parsed;
  }
  const taxId = optionalString(value, 'tax_id', 'company[tax_id]');
  if (taxId && country === 'US' && !/^\d{9}$/.test(taxId.replace(/-/g, ''))) {
    throw invalidParam(
      'company[tax_id]',
      'Invalid tax_id: a US EIN has 9 digits',
      'invalid_tax_id',
    );
  }
  if (taxId) next.tax_id_provided = true;
  delete next.tax_id;
  delete next.registration_number;
  return next;
}

export function readBusinessProfile(
  current: Record<string, unknown>,
  value: FormObject,
): Record<string, unknown> {
  onlyKeys(value, PROFILE_KEYS, 'business_profile');
  const mcc = optionalString(value, 'mcc', 'business_profile[mcc]');
  if (mcc && !/^\d{4}$/.test(mcc))
    throw invalidParam('business_profile[mcc]', `Invalid mcc: ${mcc}`, 'invalid_mcc');
  const url = optionalString(value, 'url', 'business_profile[url]');
  if (url) {
    try {
      new URL(url.includes('://') ? url : `https://${url}`);
    } catch {
      throw invalidParam('business_profile[url]', `Not a valid URL`, 'url_invalid');
    }
  }
  return mergeHash(current, value);
}
