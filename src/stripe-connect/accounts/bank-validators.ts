/** Checksums and shapes of the bank identifiers Stripe takes, per country. Pure functions. */

/** US ABA routing number: 9 digits, weights 3-7-1 summing to a multiple of 10. */
export function isAbaRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 === 0;
}

/** IBAN: country prefix, two check digits, and the ISO 13616 mod-97 check. Spaces are ignored. */
export function isIban(value: string, country?: string): boolean {
  const iban = normalizeIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  if (country && !iban.startsWith(country)) return false;
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length && iban.length !== length) return false;
  let remainder = 0;
  for (const char of iban.slice(4) + iban.slice(0, 4)) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function normalizeIban(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** IBAN lengths of the SEPA countries the library supports (and GB). */
const IBAN_LENGTHS: Record<string, number> = {
  AT: 20,
  BE: 16,
  DE: 22,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  IE: 22,
  IT: 27,
  LU: 20,
  NL: 18,
  PT: 25,
};

/** Canada: 5-digit transit and 3-digit institution numbers, sent to Stripe as `TTTTT-III`. */
export function canadianRoutingNumber(transit: string, institution: string): string | null {
  if (!/^\d{5}$/.test(transit) || !/^\d{3}$/.test(institution)) return null;
  return `${transit}-${institution}`;
}

/** UK sort code: 6 digits, dashes or spaces allowed. */
export function normalizeSortCode(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** Australian BSB: 6 digits, a dash allowed. */
export function normalizeBsb(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * A well-formed example IBAN of a country (its length, and check digits that pass mod-97), built on the German
 * test bank account Stripe documents; undefined for a country without a known IBAN length.
 */
export function exampleIban(country: string): string | undefined {
  const length = IBAN_LENGTHS[country];
  if (!length) return undefined;
  const bban = '370400440532013000'.padStart(length - 4, '0').slice(-(length - 4));
  let remainder = 0;
  for (const char of `${bban}${country}00`) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}
