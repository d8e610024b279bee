import { describe, expect, it } from 'vitest';
import type {
  BankAccountInput,
  InitialCustomAccountDto,
} from './dto/initial-custom-account.dto.js';
import { externalAccountParams, validateInitialForm } from './onboarding-validation.js';

const person = (country: string) => ({
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'jane@example.com',
  phone: '0000000000',
  dob: { day: 1, month: 1, year: 1901 },
  address: {
    line1: 'address_full_match',
    city: 'City',
    postalCode:
      { US: '94103', CA: 'K1A 0B1', GB: 'SW1A 1AA', AU: '2000', DE: '10115' }[country] ?? '10115',
    ...(['US', 'CA', 'AU'].includes(country)
      ? { state: { US: 'CA', CA: 'ON', AU: 'NSW' }[country] }
      : {}),
  },
  ...(country === 'US'
    ? { idNumber: '000000000' }
    : country === 'CA'
      ? { idNumber: '000000000' }
      : {}),
});

const form = (
  country: string,
  bankAccount: Partial<BankAccountInput>,
): InitialCustomAccountDto => ({
  country,
  businessType: 'individual',
  individual: person(country),
  bankAccount: { accountHolderName: 'Jane Doe', ...bankAccount },
  tosAccepted: true,
});

const TEST_BANKS: [string, Partial<BankAccountInput>, Partial<BankAccountInput>, string][] = [
  [
    'US',
    { routingNumber: '110000000', accountNumber: '000123456789' },
    { routingNumber: '110000001', accountNumber: '000123456789' },
    'bankAccount.routingNumber',
  ],
  [
    'CA',
    { transitNumber: '11000', institutionNumber: '000', accountNumber: '000123456789' },
    { transitNumber: '1100', institutionNumber: '000', accountNumber: '000123456789' },
    'bankAccount.transitNumber',
  ],
  [
    'GB',
    { sortCode: '10-88-00', accountNumber: '00012345' },
    { sortCode: '108800', accountNumber: '0001234' },
    'bankAccount.accountNumber',
  ],
  [
    'AU',
    { bsb: '110000', accountNumber: '000123456' },
    { bsb: '11000', accountNumber: '000123456' },
    'bankAccount.bsb',
  ],
  [
    'DE',
    { iban: 'DE89370400440532013000' },
    { iban: 'DE89370400440532013001' },
    'bankAccount.iban',
  ],
];

describe('validateInitialForm', () => {
  for (const [country, good, bad, field] of TEST_BANKS) {
    it(`accepts ${country}'s test bank numbers and refuses a bad one on ${field}`, () => {
      expect(validateInitialForm(form(country, good))).toEqual({});
      expect(Object.keys(validateInitialForm(form(country, bad)))).toEqual([field]);
    });
  }

  it('refuses bank fields another country uses', () => {
    expect(
      validateInitialForm(
        form('US', {
          routingNumber: '110000000',
          accountNumber: '000123456789',
          iban: 'DE89370400440532013000',
        }),
      ),
    ).toEqual({
      'bankAccount.iban': ['iban is not used for a US bank account'],
    });
  });

  it('applies the state list, postal code shape, currency and id number rules', () => {
    const us = form('US', { routingNumber: '110000000', accountNumber: '000123456789' });
    const errors = validateInitialForm({
      ...us,
      currency: 'eur',
      individual: {
        ...us.individual!,
        idNumber: undefined,
        address: { ...us.individual!.address, state: 'ZZ', postalCode: 'ABC' },
      },
    });
    expect(Object.keys(errors).sort()).toEqual([
      'currency',
      'individual.address.postalCode',
      'individual.address.state',
      'individual.idNumber',
    ]);
    expect(
      validateInitialForm({
        ...us,
        individual: { ...us.individual!, idNumber: undefined, ssnLast4: '0000' },
      }),
    ).toEqual({});
  });

  it('builds the external account Stripe takes', () => {
    expect(
      externalAccountParams('CA', 'cad', {
        accountHolderName: 'J',
        transitNumber: '11000',
        institutionNumber: '000',
        accountNumber: '000123456789',
      }),
    ).toMatchObject({
      object: 'bank_account',
      country: 'CA',
      currency: 'cad',
      routing_number: '11000-000',
      account_number: '000123456789',
    });
    expect(
      externalAccountParams('DE', 'eur', {
        accountHolderName: 'J',
        iban: 'de89 3704 0044 0532 0130 00',
      }),
    ).toMatchObject({
      account_number: 'DE89370400440532013000',
    });
  });
});
