import { describe, expect, it } from 'vitest';
import {
  buildVerificationForm,
  fieldForRequirement,
  messageForRequirementError,
  type FormField,
} from './verification-form.js';

/** Requirement paths named by Stripe's documentation and the sandbox, for individuals, companies and persons. */
const DOCUMENTED_PATHS = [
  'business_profile.mcc',
  'business_profile.url',
  'business_profile.product_description',
  'business_profile.name',
  'business_profile.support_phone',
  'business_type',
  'external_account',
  'tos_acceptance.date',
  'tos_acceptance.ip',
  'individual.first_name',
  'individual.last_name',
  'individual.email',
  'individual.phone',
  'individual.dob.day',
  'individual.dob.month',
  'individual.dob.year',
  'individual.address.line1',
  'individual.address.city',
  'individual.address.state',
  'individual.address.postal_code',
  'individual.id_number',
  'individual.ssn_last_4',
  'individual.verification.document',
  'individual.verification.additional_document',
  'individual.political_exposure',
  'company.name',
  'company.tax_id',
  'company.phone',
  'company.address.line1',
  'company.address.city',
  'company.address.state',
  'company.address.postal_code',
  'company.owners_provided',
  'company.directors_provided',
  'company.executives_provided',
  'company.verification.document',
  'relationship.owner',
  'relationship.director',
  'relationship.executive',
  'relationship.representative',
  'representative.first_name',
  'representative.dob.year',
  'representative.verification.document',
  'person_1AbC.first_name',
  'person_1AbC.address.line1',
  'person_1AbC.dob.day',
  'person_1AbC.id_number',
  'person_1AbC.relationship.title',
  'person_1AbC.verification.document',
  'documents.company_license.files',
  'documents.bank_account_ownership_verification.files',
  'settings.payments.statement_descriptor',
];

describe('the verification form', () => {
  it('maps every documented requirement path to a field that names it', () => {
    const form = buildVerificationForm(DOCUMENTED_PATHS, 'US');
    for (const path of DOCUMENTED_PATHS) {
      expect(
        form.some((field) => field.requirements.includes(path)),
        path,
      ).toBe(true);
    }
    for (const field of form) {
      expect(field.label.length, field.name).toBeGreaterThan(2);
      expect(['text', 'email', 'tel', 'url', 'date', 'select', 'boolean', 'file']).toContain(
        field.type,
      );
      if (field.type === 'select') expect(field.options!.length).toBeGreaterThan(0);
    }
  });

  it('gives a date of birth one date field, the terms one checkbox, documents file fields', () => {
    const form = buildVerificationForm(
      [
        'individual.dob.day',
        'individual.dob.month',
        'individual.dob.year',
        'tos_acceptance.date',
        'tos_acceptance.ip',
        'person_1X.verification.document',
      ],
      'US',
    );
    const byName = Object.fromEntries(form.map((f) => [f.name, f])) as Record<string, FormField>;
    expect(Object.keys(byName)).toEqual([
      'individual.dob',
      'tos_acceptance',
      'person_1X.verification.document',
    ]);
    expect(byName['individual.dob']).toMatchObject({
      type: 'date',
      requirements: ['individual.dob.day', 'individual.dob.month', 'individual.dob.year'],
    });
    expect(byName.tos_acceptance.type).toBe('boolean');
    expect(byName['person_1X.verification.document']).toMatchObject({
      type: 'file',
      accept: 'image/jpeg,image/png,application/pdf',
      maxBytes: 10 * 1024 * 1024,
    });
  });

  it('asks for the bank fields of the account’s country', () => {
    const names = (country: string) =>
      (fieldForRequirement('external_account', country) as FormField[]).map((f) => f.name);
    expect(names('US')).toEqual([
      'external_account.account_holder_name',
      'external_account.routing_number',
      'external_account.account_number',
    ]);
    expect(names('CA')).toContain('external_account.transit_number');
    expect(names('GB')).toContain('external_account.sort_code');
    expect(names('AU')).toContain('external_account.bsb');
    expect(names('FR')).toEqual(['external_account.account_holder_name', 'external_account.iban']);
  });

  it('offers the country’s states as options and keeps unanticipated paths as text fields', () => {
    expect(fieldForRequirement('individual.address.state', 'US')).toMatchObject({ type: 'select' });
    expect(fieldForRequirement('individual.address.state', 'GB')).toMatchObject({ type: 'text' });
    expect(fieldForRequirement('something.new_from_stripe', 'US')).toMatchObject({
      name: 'something.new_from_stripe',
      type: 'text',
      required: true,
    });
  });

  it('is empty when nothing is due', () => {
    expect(buildVerificationForm([], 'US')).toEqual([]);
  });

  it('says each error code in words', () => {
    expect(messageForRequirementError('verification_failed_id_number_match')).toBe(
      'The id number does not match the name and date of birth.',
    );
    expect(messageForRequirementError('verification_document_whatever')).toContain('document');
    expect(messageForRequirementError('brand_new_code', 'Stripe says why')).toBe('Stripe says why');
  });
});

describe('a company’s persons in the verification form', () => {
  const due = [
    'company.directors_provided',
    'company.owners_provided',
    'directors.dob.day',
    'directors.first_name',
    'external_account',
    'owners.address.line1',
    'owners.dob.day',
    'owners.first_name',
    'person_1AbC.relationship.title',
    'person_1AbC.verification.document',
    'representative.first_name',
  ];

  it('puts each person to add and each known person in a section of its own, after the account’s fields', () => {
    const form = buildVerificationForm(due, 'GB', [], { person_1AbC: 'Rita Rep (representative)' });
    const sections = form.map((f) => f.section ?? '');
    expect([...new Set(sections)]).toEqual([
      '',
      'representative',
      'owners',
      'directors',
      'person_1AbC',
    ]);
    // Sections are contiguous: a renderer can open one fieldset per section.
    expect(sections.join(',')).toMatch(
      /^(,)*(representative,)+(owners,)+(directors,)+(person_1AbC,?)+$/,
    );
    const owners = form.filter((f) => f.section === 'owners');
    expect(owners.map((f) => f.name)).toEqual([
      'owners.first_name',
      'owners.dob',
      'owners.address.line1',
      'owners.relationship.percent_ownership',
      'owners.relationship.director',
      'owners.relationship.executive',
    ]);
    expect(owners[0]).toMatchObject({
      sectionLabel: 'An owner of the company (25% or more)',
      required: true,
    });
    expect(owners.filter((f) => !f.required).map((f) => f.name)).toEqual([
      'owners.relationship.percent_ownership',
      'owners.relationship.director',
      'owners.relationship.executive',
    ]);
    expect(form.find((f) => f.name === 'person_1AbC.verification.document')).toMatchObject({
      type: 'file',
      sectionLabel: 'Rita Rep (representative)',
    });
    expect(form.find((f) => f.name === 'company.owners_provided')).toMatchObject({
      type: 'boolean',
      label: expect.stringContaining('every owner'),
    });
  });
});
