/**
 * What the sandbox's hosted onboarding fills in for an express or standard account: Stripe's test identity
 * values (date of birth 1901-01-01, `address_full_match`, id numbers that verify) and a test bank account of
 * the account's country.
 */
const BBAN: Record<string, string> = {
  AT: '1904300234573201',
  BE: '539007547034',
  DE: '370400440532013000',
  ES: '21000418450200051332',
  FI: '12345600000785',
  FR: '20041010050500013M02606',
  IE: 'AIBK93115212345678',
  IT: 'X0542811101000000123456',
  LU: '0019400644750000',
  NL: 'ABNA0417164300',
  PT: '000201231234567890154',
};

/** An IBAN with its mod-97 check digits computed for the country. */
export function testIban(country: string): string {
  const bban = BBAN[country];
  const digits = [...`${bban}${country}00`]
    .map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55)))
    .join('');
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

export const TEST_ADDRESSES: Record<string, { city: string; state?: string; postal_code: string }> =
  {
    US: { city: 'San Francisco', state: 'CA', postal_code: '94103' },
    CA: { city: 'Toronto', state: 'ON', postal_code: 'M5V 2T6' },
    GB: { city: 'London', postal_code: 'SW1A 1AA' },
    AU: { city: 'Sydney', state: 'NSW', postal_code: '2000' },
  };

export function testAddress(country: string): Record<string, string> {
  return {
    line1: 'address_full_match',
    country,
    ...(TEST_ADDRESSES[country] ?? { city: 'Berlin', postal_code: '10115' }),
  };
}

/** The `external_account` hash of a bank account whose payouts succeed, in the country's scheme. */
export function testBankAccount(country: string, currency: string): Record<string, string> {
  const base = { object: 'bank_account', country, currency, account_holder_name: 'Jenny Rosen' };
  switch (country) {
    case 'US':
      return { ...base, routing_number: '110000000', account_number: '000123456789' };
    case 'CA':
      return { ...base, routing_number: '11000-000', account_number: '000123456789' };
    case 'GB':
      return { ...base, routing_number: '108800', account_number: '00012345' };
    case 'AU':
      return { ...base, routing_number: '110000', account_number: '000123456' };
    default:
      return { ...base, account_number: testIban(country) };
  }
}
