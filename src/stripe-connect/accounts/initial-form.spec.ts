import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '../common/validation.js';
import { exampleIban, isIban } from './bank-validators.js';
import { SUPPORTED_COUNTRIES } from './country-rules.js';
import { InitialCustomAccountDto } from './dto/initial-custom-account.dto.js';
import {
  BUSINESS_TYPES,
  initialFormDescription,
  onboardingCountries,
  type InitialFormField,
} from './initial-form.js';
import { validateInitialForm } from './onboarding-validation.js';

/** A body filled from the description alone: each field's example, or a plain value of its type. */
function fill(fields: InitialFormField[], only: (f: InitialFormField) => boolean = () => true) {
  const body: Record<string, unknown> = {};
  for (const field of fields.filter(only)) {
    let value: unknown = field.example ?? 'Something';
    if (field.type === 'select') value = field.options![0].value;
    if (field.type === 'boolean') value = true;
    if (field.type === 'date') {
      const [year, month, day] = String(field.example).split('-').map(Number);
      value = { day, month, year };
    }
    const path = field.name.split('.');
    let node = body;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = value;
  }
  return body;
}

function serverErrors(body: object) {
  const form = plainToInstance(InitialCustomAccountDto, body);
  const shape = fieldErrorsOf(validateSync(form, { whitelist: true, forbidNonWhitelisted: true }));
  return Object.keys(shape).length ? shape : validateInitialForm(form);
}

describe('the initial form description', () => {
  it('lists every supported country once, with its currencies', () => {
    const countries = onboardingCountries();
    expect(countries.map((c) => c.country).sort()).toEqual([...SUPPORTED_COUNTRIES].sort());
    expect(countries.find((c) => c.country === 'DE')).toEqual({
      country: 'DE',
      name: 'Germany',
      currencies: ['eur'],
      defaultCurrency: 'eur',
      businessTypes: ['individual', 'company'],
    });
  });

  it.each(SUPPORTED_COUNTRIES.flatMap((c) => BUSINESS_TYPES.map((t) => [c, t] as const)))(
    'describes a form for %s %s that the server accepts when filled from it',
    (country, businessType) => {
      const form = initialFormDescription(country, businessType)!;
      const body = { country, businessType, ...fill(form.fields) };
      expect(serverErrors(body)).toEqual({});
      // Only the required fields are enough, except where the country asks for one of two (US SSN).
      const required = { country, businessType, ...fill(form.fields, (f) => f.required) };
      const errors = serverErrors(required);
      if (country === 'US') expect(Object.keys(errors)[0]).toMatch(/idNumber$/);
      else expect(errors).toEqual({});
    },
  );

  it('names each field as the server keys its errors, and its patterns agree with the server', () => {
    const form = initialFormDescription('DE', 'company')!;
    const body = { country: 'DE', businessType: 'company', ...fill(form.fields) };
    const bad = structuredClone(body) as typeof body & {
      bankAccount: { iban: string };
      company: { address: { postalCode: string } };
    };
    bad.bankAccount.iban = 'DE89370400440532013001';
    bad.company.address.postalCode = '1234';
    const errors = serverErrors(bad);
    const names = form.fields.map((f) => f.name);
    expect(Object.keys(errors).sort()).toEqual(['bankAccount.iban', 'company.address.postalCode']);
    for (const key of Object.keys(errors)) expect(names).toContain(key);
    const postal = form.fields.find((f) => f.name === 'company.address.postalCode')!;
    expect(new RegExp(postal.pattern!, postal.patternFlags).test('1234')).toBe(false);
    expect(new RegExp(postal.pattern!, postal.patternFlags).test('10115')).toBe(true);
  });

  it('asks each country for its own bank fields, states and id number', () => {
    const names = (country: string) =>
      initialFormDescription(country, 'individual')!.fields.map((f) => f.name);
    expect(names('US')).toEqual(
      expect.arrayContaining([
        'individual.address.state',
        'individual.ssnLast4',
        'bankAccount.routingNumber',
      ]),
    );
    expect(names('DE')).toContain('bankAccount.iban');
    expect(names('DE')).not.toContain('individual.address.state');
    expect(names('DE')).not.toContain('individual.idNumber');
    expect(names('CA')).toEqual(
      expect.arrayContaining(['bankAccount.transitNumber', 'individual.idNumber', 'currency']),
    );
    expect(names('GB')).toEqual(expect.arrayContaining(['bankAccount.sortCode']));
    expect(initialFormDescription('ZZ', 'individual')).toBeUndefined();
  });

  it('builds example IBANs that pass the checksum, and Stripe’s German test IBAN', () => {
    expect(exampleIban('DE')).toBe('DE89370400440532013000');
    for (const country of ['AT', 'BE', 'ES', 'FI', 'FR', 'IE', 'IT', 'LU', 'NL', 'PT'])
      expect(isIban(exampleIban(country)!, country)).toBe(true);
  });
});
