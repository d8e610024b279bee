/**
 * The country rules of the initial onboarding form, applied after the DTO's shape checks and before anything
 * is sent to Stripe. Errors are keyed by the request's own field names (`individual.address.postalCode`).
 */
import type Stripe from 'stripe';
import type { FieldErrors } from '../common/validation.js';
import {
  canadianRoutingNumber,
  isAbaRoutingNumber,
  isIban,
  normalizeBsb,
  normalizeIban,
  normalizeSortCode,
} from './bank-validators.js';
import { countryRule, type CountryRule } from './country-rules.js';
import type {
  AddressInput,
  BankAccountInput,
  InitialCustomAccountDto,
  PersonInput,
} from './dto/initial-custom-account.dto.js';

class Errors {
  readonly all: FieldErrors = {};
  add(field: string, message: string): void {
    (this.all[field] ??= []).push(message);
  }
}

function checkAddress(
  rule: CountryRule,
  address: AddressInput | undefined,
  field: string,
  errors: Errors,
): void {
  if (!address) return;
  if (rule.states) {
    if (!address.state) errors.add(`${field}.state`, `state is required in ${rule.country}`);
    else if (!rule.states.includes(address.state.toUpperCase())) {
      errors.add(`${field}.state`, `state must be one of ${rule.states.join(', ')}`);
    }
  }
  if (!rule.postalCode.test(address.postalCode.trim())) {
    errors.add(
      `${field}.postalCode`,
      `postalCode is not a ${rule.country} postal code (e.g. ${rule.postalCodeExample})`,
    );
  }
}

function checkPerson(
  rule: CountryRule,
  person: PersonInput | undefined,
  field: string,
  errors: Errors,
): void {
  if (!person) return;
  checkAddress(rule, person.address, `${field}.address`, errors);
  const { day, month, year } = person.dob ?? {};
  if (day && month && year) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCDate() !== day || date.getTime() > Date.now())
      errors.add(`${field}.dob`, 'dob is not a valid date of birth');
  }
  const idNumber = person.idNumber?.replace(/[\s-]/g, '');
  if (person.ssnLast4 && rule.individualId !== 'ssn_last_4_or_id_number') {
    errors.add(`${field}.ssnLast4`, `ssnLast4 is only used in the US`);
  }
  if (rule.individualId === 'ssn_last_4_or_id_number' && !idNumber && !person.ssnLast4) {
    errors.add(`${field}.idNumber`, 'give idNumber or ssnLast4');
  }
  if (rule.individualId === 'id_number' && !idNumber)
    errors.add(`${field}.idNumber`, `idNumber is required in ${rule.country}`);
  if (idNumber && rule.idNumber && !rule.idNumber.test(idNumber)) {
    errors.add(`${field}.idNumber`, `idNumber is not a valid ${rule.country} id number`);
  }
}

/** The bank account fields each country's scheme takes (the request's own names). */
export const BANK_FIELDS: Record<CountryRule['bank'], (keyof BankAccountInput)[]> = {
  us: ['routingNumber', 'accountNumber'],
  ca: ['transitNumber', 'institutionNumber', 'accountNumber'],
  gb: ['sortCode', 'accountNumber'],
  au: ['bsb', 'accountNumber'],
  iban: ['iban'],
};
/** The shape of an account number, per scheme, with its description. */
export const ACCOUNT_NUMBER: Partial<Record<CountryRule['bank'], [RegExp, string]>> = {
  us: [/^\d{4,17}$/, '4 to 17 digits'],
  ca: [/^\d{7,12}$/, '7 to 12 digits'],
  gb: [/^\d{8}$/, '8 digits'],
  au: [/^\d{5,9}$/, '5 to 9 digits'],
};

function checkBank(rule: CountryRule, bank: BankAccountInput | undefined, errors: Errors): void {
  if (!bank) return;
  const wanted = BANK_FIELDS[rule.bank];
  for (const name of [
    'routingNumber',
    'transitNumber',
    'institutionNumber',
    'sortCode',
    'bsb',
    'accountNumber',
    'iban',
  ] as const) {
    const given = bank[name] !== undefined && bank[name] !== '';
    if (wanted.includes(name) && !given)
      errors.add(`bankAccount.${name}`, `${name} is required for a ${rule.country} bank account`);
    if (!wanted.includes(name) && given)
      errors.add(`bankAccount.${name}`, `${name} is not used for a ${rule.country} bank account`);
  }
  const accountNumber = bank.accountNumber?.replace(/[\s-]/g, '');
  const shape = ACCOUNT_NUMBER[rule.bank];
  if (accountNumber && shape && !shape[0].test(accountNumber))
    errors.add('bankAccount.accountNumber', `accountNumber must be ${shape[1]}`);
  if (bank.routingNumber && rule.bank === 'us' && !isAbaRoutingNumber(bank.routingNumber.trim())) {
    errors.add(
      'bankAccount.routingNumber',
      'routingNumber is not a valid ABA routing number (9 digits with a valid checksum)',
    );
  }
  if (rule.bank === 'ca') {
    if (bank.transitNumber && !/^\d{5}$/.test(bank.transitNumber))
      errors.add('bankAccount.transitNumber', 'transitNumber must be 5 digits');
    if (bank.institutionNumber && !/^\d{3}$/.test(bank.institutionNumber))
      errors.add('bankAccount.institutionNumber', 'institutionNumber must be 3 digits');
  }
  if (bank.sortCode && rule.bank === 'gb' && !normalizeSortCode(bank.sortCode))
    errors.add('bankAccount.sortCode', 'sortCode must be 6 digits');
  if (bank.bsb && rule.bank === 'au' && !normalizeBsb(bank.bsb))
    errors.add('bankAccount.bsb', 'bsb must be 6 digits');
  if (bank.iban && rule.bank === 'iban' && !isIban(bank.iban, rule.country)) {
    errors.add(
      'bankAccount.iban',
      `iban is not a valid ${rule.country} IBAN (country prefix and mod-97 checksum)`,
    );
  }
}

/** Country rules of the whole form; an empty object when it passes. */
export function validateInitialForm(form: InitialCustomAccountDto): FieldErrors {
  const errors = new Errors();
  const rule = countryRule(form.country);
  if (!rule) {
    errors.add('country', `country is not supported`);
    return errors.all;
  }
  if (form.currency && !rule.currencies.includes(form.currency)) {
    errors.add(
      'currency',
      `currency must be one of ${rule.currencies.join(', ')} in ${rule.country}`,
    );
  }
  if (form.businessType === 'individual') {
    if (form.company) errors.add('company', 'company is not taken for an individual');
    checkPerson(rule, form.individual, 'individual', errors);
  } else {
    if (form.individual) errors.add('individual', 'individual is not taken for a company');
    checkAddress(rule, form.company?.address, 'company.address', errors);
    checkPerson(rule, form.company?.representative, 'company.representative', errors);
  }
  checkBank(rule, form.bankAccount, errors);
  return errors.all;
}

/** Country rules of a bank account added later (errors keyed `bankAccount.…`), and its currency. */
/** A company's person (representative, owner, director, executive) checked by the account's country rules. */
export function validatePerson(country: string, person: PersonInput): FieldErrors {
  const rule = countryRule(country);
  const errors = new Errors();
  if (rule) checkPerson(rule, person, 'person', errors);
  // Errors are keyed by the person's own fields (`dob`, `address.postalCode`).
  return Object.fromEntries(
    Object.entries(errors.all).map(([field, messages]) => [
      field.replace(/^person\./, ''),
      messages,
    ]),
  );
}

export function validateBankAccount(
  country: string,
  currency: string,
  bank: BankAccountInput,
): FieldErrors {
  const errors = new Errors();
  const rule = countryRule(country);
  if (!rule) {
    errors.add('country', 'the account’s country is not supported');
    return errors.all;
  }
  if (!rule.currencies.includes(currency))
    errors.add(
      'currency',
      `currency must be one of ${rule.currencies.join(', ')} in ${rule.country}`,
    );
  checkBank(rule, bank, errors);
  return errors.all;
}

/** The `external_account` hash Stripe takes, from a bank account that passed `validateInitialForm`. */
export function externalAccountParams(
  country: string,
  currency: string,
  bank: BankAccountInput,
): Stripe.AccountCreateParams.ExternalAccount {
  const rule = countryRule(country)!;
  const base = {
    object: 'bank_account' as const,
    country,
    currency,
    account_holder_name: bank.accountHolderName,
    ...(bank.accountHolderType ? { account_holder_type: bank.accountHolderType } : {}),
  };
  const accountNumber = bank.accountNumber?.replace(/[\s-]/g, '') ?? '';
  switch (rule.bank) {
    case 'us':
      return { ...base, routing_number: bank.routingNumber!.trim(), account_number: accountNumber };
    case 'ca':
      return {
        ...base,
        routing_number: canadianRoutingNumber(bank.transitNumber!, bank.institutionNumber!)!,
        account_number: accountNumber,
      };
    case 'gb':
      return {
        ...base,
        routing_number: normalizeSortCode(bank.sortCode!)!,
        account_number: accountNumber,
      };
    case 'au':
      return { ...base, routing_number: normalizeBsb(bank.bsb!)!, account_number: accountNumber };
    case 'iban':
      return { ...base, account_number: normalizeIban(bank.iban!) };
  }
}

/** Stripe's `individual` / person hash from a person that passed `validateInitialForm`. */
export function personParams(
  country: string,
  person: PersonInput,
): Stripe.AccountCreateParams.Individual {
  const idNumber = person.idNumber?.replace(/[\s-]/g, '');
  return {
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
    phone: person.phone,
    dob: { day: person.dob.day, month: person.dob.month, year: person.dob.year },
    address: {
      line1: person.address.line1,
      ...(person.address.line2 ? { line2: person.address.line2 } : {}),
      city: person.address.city,
      ...(person.address.state ? { state: person.address.state.toUpperCase() } : {}),
      postal_code: person.address.postalCode,
      country,
    },
    ...(idNumber ? { id_number: idNumber } : {}),
    ...(person.ssnLast4 ? { ssn_last_4: person.ssnLast4 } : {}),
  };
}
