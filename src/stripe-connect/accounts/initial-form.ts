/**
 * The initial custom-account form (pinax-stripe's country-aware `InitialCustomAccountForm`) as a description a
 * front end renders: the fields of `POST /connect/accounts/custom` for one country and business type, named
 * by the request's own dotted field names (the names its 400 answer keys errors by), with labels, formats and
 * rules taken from the same country rules and bank checks the server validates with. Pure functions.
 */
import { exampleIban } from './bank-validators.js';
import { ACCOUNT_NUMBER, BANK_FIELDS } from './onboarding-validation.js';
import { COUNTRY_RULES, countryRule, type CountryRule } from './country-rules.js';

export type InitialFieldType = 'text' | 'email' | 'tel' | 'url' | 'date' | 'select' | 'boolean';
export type BusinessType = 'individual' | 'company';
export const BUSINESS_TYPES: BusinessType[] = ['individual', 'company'];

export interface InitialFormField {
  /** The dotted path of the value in the request body (`individual.address.postalCode`). */
  name: string;
  type: InitialFieldType;
  label: string;
  required: boolean;
  /** The section of the form the field belongs to, for grouping. */
  group: 'business' | 'person' | 'representative' | 'bank' | 'profile' | 'terms';
  /** A sentence for the person filling the form: what the value is, or what may replace it. */
  hint?: string;
  /** A valid example of the value. */
  example?: string;
  /** A regular expression (JavaScript syntax, whole value) the value must match. */
  pattern?: string;
  /** `i` when the pattern ignores case. */
  patternFlags?: string;
  maxLength?: number;
  options?: { value: string; label: string }[];
  /** `date` fields are posted as `{ day, month, year }` integers. */
  format?: 'day-month-year';
  /** Whether the value is a secret: never logged or stored by the library (id numbers, bank numbers). */
  sensitive?: boolean;
}

export interface CountrySummary {
  country: string;
  name: string;
  currencies: string[];
  defaultCurrency: string;
  businessTypes: BusinessType[];
}

export interface InitialFormDescription extends CountrySummary {
  businessType: BusinessType;
  /** Where the form is posted (as JSON, with `country` and `businessType` added). */
  action: string;
  fields: InitialFormField[];
}

const COUNTRY_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

export function countrySummary(rule: CountryRule): CountrySummary {
  return {
    country: rule.country,
    name: COUNTRY_NAMES.of(rule.country) ?? rule.country,
    currencies: rule.currencies,
    defaultCurrency: rule.currencies[0],
    businessTypes: BUSINESS_TYPES,
  };
}

/** Every supported country, by name. */
export function onboardingCountries(): CountrySummary[] {
  return Object.values(COUNTRY_RULES)
    .map(countrySummary)
    .sort((a, b) => a.name.localeCompare(b.name));
}

const PHONE = { pattern: '^\\+?[\\d\\s().-]{7,20}$', example: '+14155550123' };

function addressFields(
  rule: CountryRule,
  prefix: string,
  group: InitialFormField['group'],
): InitialFormField[] {
  const fields: InitialFormField[] = [
    {
      name: `${prefix}.line1`,
      type: 'text',
      label: 'Address line 1',
      required: true,
      group,
      maxLength: 200,
    },
    {
      name: `${prefix}.line2`,
      type: 'text',
      label: 'Address line 2',
      required: false,
      group,
      maxLength: 200,
    },
    { name: `${prefix}.city`, type: 'text', label: 'City', required: true, group, maxLength: 100 },
  ];
  if (rule.states) {
    fields.push({
      name: `${prefix}.state`,
      type: 'select',
      label: rule.country === 'CA' ? 'Province or territory' : 'State',
      required: true,
      group,
      options: rule.states.map((state) => ({ value: state, label: state })),
    });
  }
  fields.push({
    name: `${prefix}.postalCode`,
    type: 'text',
    label: rule.country === 'US' ? 'ZIP code' : 'Postal code',
    required: true,
    group,
    example: rule.postalCodeExample,
    pattern: rule.postalCode.source,
    ...(rule.postalCode.flags ? { patternFlags: rule.postalCode.flags } : {}),
    maxLength: 20,
  });
  return fields;
}

function personFields(
  rule: CountryRule,
  prefix: string,
  group: 'person' | 'representative',
): InitialFormField[] {
  const fields: InitialFormField[] = [
    {
      name: `${prefix}.firstName`,
      type: 'text',
      label: 'First name',
      required: true,
      group,
      maxLength: 100,
    },
    {
      name: `${prefix}.lastName`,
      type: 'text',
      label: 'Last name',
      required: true,
      group,
      maxLength: 100,
    },
    {
      name: `${prefix}.email`,
      type: 'email',
      label: 'Email',
      required: true,
      group,
      example: 'jane@example.com',
    },
    {
      name: `${prefix}.phone`,
      type: 'tel',
      label: 'Phone number',
      required: true,
      group,
      ...PHONE,
    },
    {
      name: `${prefix}.dob`,
      type: 'date',
      label: 'Date of birth',
      required: true,
      group,
      format: 'day-month-year',
      example: '1901-01-01',
    },
    ...addressFields(rule, `${prefix}.address`, group),
  ];
  if (rule.individualId === 'ssn_last_4_or_id_number') {
    fields.push(
      {
        name: `${prefix}.ssnLast4`,
        type: 'text',
        label: 'Last 4 digits of the Social Security number',
        required: false,
        group,
        hint: 'Give these or the full number',
        pattern: '^\\d{4}$',
        example: '0000',
        sensitive: true,
      },
      {
        name: `${prefix}.idNumber`,
        type: 'text',
        label: 'Social Security number',
        required: false,
        group,
        hint: 'Give the full number or its last 4 digits',
        pattern: rule.idNumber?.source,
        example: '000000000',
        sensitive: true,
      },
    );
  } else if (rule.individualId === 'id_number') {
    fields.push({
      name: `${prefix}.idNumber`,
      type: 'text',
      label: rule.country === 'CA' ? 'Social Insurance Number' : 'National id number',
      required: true,
      group,
      pattern: rule.idNumber?.source,
      example: '000000000',
      sensitive: true,
    });
  }
  return fields;
}

const BANK_LABELS: Record<string, { label: string; pattern: string; example: string }> = {
  routingNumber: { label: 'Routing number', pattern: '^\\d{9}$', example: '110000000' },
  transitNumber: { label: 'Transit number', pattern: '^\\d{5}$', example: '11000' },
  institutionNumber: { label: 'Institution number', pattern: '^\\d{3}$', example: '000' },
  sortCode: {
    label: 'Sort code',
    pattern: '^\\d{2}[\\s-]?\\d{2}[\\s-]?\\d{2}$',
    example: '108800',
  },
  bsb: { label: 'BSB', pattern: '^\\d{3}[\\s-]?\\d{3}$', example: '110000' },
  accountNumber: { label: 'Account number', pattern: '', example: '000123456789' },
  iban: { label: 'IBAN', pattern: '', example: '' },
};

const BANK_EXAMPLES: Partial<Record<CountryRule['bank'], string>> = {
  ca: '000123456789',
  gb: '00012345',
  au: '000123456',
};

function bankFields(rule: CountryRule, businessType: BusinessType): InitialFormField[] {
  const fields: InitialFormField[] = [
    {
      name: 'bankAccount.accountHolderName',
      type: 'text',
      label: 'Account holder name',
      required: true,
      group: 'bank',
      maxLength: 200,
      hint: businessType === 'company' ? "The company's name, as the bank knows it" : undefined,
    },
  ];
  for (const name of BANK_FIELDS[rule.bank]) {
    const known = BANK_LABELS[name];
    const field: InitialFormField = {
      name: `bankAccount.${name}`,
      type: 'text',
      label: known.label,
      required: true,
      group: 'bank',
      sensitive: name === 'accountNumber' || name === 'iban',
    };
    if (name === 'accountNumber') {
      const shape = ACCOUNT_NUMBER[rule.bank];
      if (shape) {
        field.pattern = shape[0].source;
        field.hint = `${shape[1].charAt(0).toUpperCase()}${shape[1].slice(1)}`;
      }
      field.example = BANK_EXAMPLES[rule.bank] ?? known.example;
    } else if (name === 'iban') {
      field.pattern = `^${rule.country}\\d{2}[A-Z0-9 ]{11,34}$`;
      field.patternFlags = 'i';
      field.hint = `A ${rule.country} IBAN; spaces are allowed`;
      field.example = exampleIban(rule.country);
    } else {
      field.pattern = known.pattern;
      field.example = known.example;
    }
    if (name === 'routingNumber') field.hint = '9 digits';
    fields.push(field);
  }
  if (rule.currencies.length > 1) {
    fields.push({
      name: 'currency',
      type: 'select',
      label: 'Payout currency',
      required: false,
      group: 'bank',
      options: rule.currencies.map((c) => ({ value: c, label: c.toUpperCase() })),
      hint: `Default ${rule.currencies[0].toUpperCase()}`,
    });
  }
  return fields;
}

function companyFields(rule: CountryRule): InitialFormField[] {
  return [
    {
      name: 'company.name',
      type: 'text',
      label: 'Company name',
      required: true,
      group: 'business',
      maxLength: 200,
    },
    {
      name: 'company.taxId',
      type: 'text',
      label: rule.country === 'US' ? 'Employer Identification Number (EIN)' : 'Company tax id',
      required: true,
      group: 'business',
      maxLength: 40,
      example: '000000000',
      sensitive: true,
    },
    {
      name: 'company.phone',
      type: 'tel',
      label: 'Company phone number',
      required: true,
      group: 'business',
      ...PHONE,
    },
    ...addressFields(rule, 'company.address', 'business'),
    ...personFields(rule, 'company.representative', 'representative'),
    {
      name: 'company.representative.title',
      type: 'text',
      label: 'Job title',
      required: false,
      group: 'representative',
      maxLength: 100,
      example: 'CEO',
    },
  ];
}

function profileFields(): InitialFormField[] {
  return [
    {
      name: 'businessProfile.mcc',
      type: 'text',
      label: 'Merchant category code',
      required: false,
      group: 'profile',
      pattern: '^\\d{4}$',
      example: '5734',
      hint: 'The 4-digit code of what the business sells',
    },
    {
      name: 'businessProfile.url',
      type: 'url',
      label: 'Website',
      required: false,
      group: 'profile',
      example: 'https://accessible.stripe.com',
    },
    {
      name: 'businessProfile.productDescription',
      type: 'text',
      label: 'What the business sells',
      required: false,
      group: 'profile',
      maxLength: 500,
      hint: 'Instead of a website',
    },
    {
      name: 'email',
      type: 'email',
      label: 'Email for the account',
      required: false,
      group: 'profile',
      example: 'seller@example.com',
    },
  ];
}

/** The form for one supported country and business type; undefined for a country the library does not take. */
export function initialFormDescription(
  country: string,
  businessType: BusinessType,
): InitialFormDescription | undefined {
  const rule = countryRule(country);
  if (!rule) return undefined;
  const fields =
    businessType === 'individual'
      ? personFields(rule, 'individual', 'person')
      : companyFields(rule);
  fields.push(...bankFields(rule, businessType), ...profileFields(), {
    name: 'tosAccepted',
    type: 'boolean',
    label: "I accept Stripe's Connected Account Agreement",
    required: true,
    group: 'terms',
  });
  return {
    ...countrySummary(rule),
    businessType,
    action: '/connect/accounts/custom',
    fields: fields.map(withoutEmpty),
  };
}

/** A field without its unset or empty properties, as it is answered. */
function withoutEmpty(field: InitialFormField): InitialFormField {
  return Object.fromEntries(
    Object.entries(field).filter(([, value]) => value !== undefined && value !== ''),
  ) as unknown as InitialFormField;
}
