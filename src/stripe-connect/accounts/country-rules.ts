/**
 * What onboarding needs to know of each supported country, as data: adding a country is adding a row.
 * Currencies an account there may hold (the first is the default), the state or province list where there is
 * one, the postal-code shape, how its bank accounts are identified, and which national id an individual gives.
 */
export type BankScheme = 'us' | 'ca' | 'gb' | 'au' | 'iban';

export interface CountryRule {
  country: string;
  currencies: string[];
  states?: string[];
  postalCode: RegExp;
  /** An example postal code, for error messages. */
  postalCodeExample: string;
  bank: BankScheme;
  /** `ssn_last_4` allowed instead of the full id number (US); `required`: the id number must be given. */
  individualId: 'ssn_last_4_or_id_number' | 'id_number' | 'none';
  /** Shape of a full national id number, when the country has one Stripe checks. */
  idNumber?: RegExp;
}

const US_STATES =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY'.split(
    ' ',
  );
const CA_PROVINCES = 'AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' ');
const AU_STATES = 'ACT NSW NT QLD SA TAS VIC WA'.split(' ');

function sepa(country: string, postalCode: RegExp, postalCodeExample: string): CountryRule {
  return {
    country,
    currencies: ['eur'],
    postalCode,
    postalCodeExample,
    bank: 'iban',
    individualId: 'none',
  };
}

const RULES: CountryRule[] = [
  {
    country: 'US',
    currencies: ['usd'],
    states: US_STATES,
    postalCode: /^\d{5}(-\d{4})?$/,
    postalCodeExample: '94103',
    bank: 'us',
    individualId: 'ssn_last_4_or_id_number',
    idNumber: /^\d{9}$/,
  },
  {
    country: 'CA',
    currencies: ['cad', 'usd'],
    states: CA_PROVINCES,
    postalCode: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
    postalCodeExample: 'K1A 0B1',
    bank: 'ca',
    individualId: 'id_number',
    idNumber: /^\d{9}$/,
  },
  {
    country: 'GB',
    currencies: ['gbp', 'eur', 'usd'],
    postalCode: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
    postalCodeExample: 'SW1A 1AA',
    bank: 'gb',
    individualId: 'none',
  },
  {
    country: 'AU',
    currencies: ['aud'],
    states: AU_STATES,
    postalCode: /^\d{4}$/,
    postalCodeExample: '2000',
    bank: 'au',
    individualId: 'none',
  },
  sepa('AT', /^\d{4}$/, '1010'),
  sepa('BE', /^\d{4}$/, '1000'),
  sepa('DE', /^\d{5}$/, '10115'),
  sepa('ES', /^\d{5}$/, '28001'),
  sepa('FI', /^\d{5}$/, '00100'),
  sepa('FR', /^\d{5}$/, '75001'),
  sepa('IE', /^[A-Z\d]{3} ?[A-Z\d]{4}$/i, 'D02 X285'),
  sepa('IT', /^\d{5}$/, '00118'),
  sepa('LU', /^(L-)?\d{4}$/i, '1111'),
  sepa('NL', /^\d{4} ?[A-Z]{2}$/i, '1011 AB'),
  sepa('PT', /^\d{4}-\d{3}$/, '1000-001'),
];

export const COUNTRY_RULES: Record<string, CountryRule> = Object.fromEntries(
  RULES.map((rule) => [rule.country, rule]),
);

export const SUPPORTED_COUNTRIES = Object.keys(COUNTRY_RULES);

export function countryRule(country: string): CountryRule | undefined {
  return COUNTRY_RULES[country.toUpperCase()];
}
