import { describe, expect, it } from 'vitest';
import {
  canadianRoutingNumber,
  isAbaRoutingNumber,
  isIban,
  normalizeBsb,
  normalizeSortCode,
} from './bank-validators.js';

describe('bank validators', () => {
  it('checks ABA routing numbers', () => {
    expect(isAbaRoutingNumber('110000000')).toBe(true);
    expect(isAbaRoutingNumber('021000021')).toBe(true);
    expect(isAbaRoutingNumber('110000001')).toBe(false);
    expect(isAbaRoutingNumber('11000000')).toBe(false);
    expect(isAbaRoutingNumber('11000000a')).toBe(false);
  });

  it('passes the test IBANs of Stripe’s documentation and refuses a bad checksum, length or country', () => {
    for (const iban of [
      'DE89370400440532013000',
      'DE62370400440532013001',
      'DE35370400440532013002',
      'DE08370400440532013003',
      'DE78370400440532013004',
      'DE51370400440532013005',
      'FR1420041010050500013M02606',
      'GB82WEST12345698765432',
      'NL91ABNA0417164300',
    ]) {
      expect(isIban(iban), iban).toBe(true);
    }
    expect(isIban('de89 3704 0044 0532 0130 00', 'DE')).toBe(true);
    expect(isIban('DE89370400440532013001')).toBe(false);
    expect(isIban('DE8937040044053201300')).toBe(false);
    expect(isIban('DE89370400440532013000', 'FR')).toBe(false);
  });

  it('shapes Canadian, UK and Australian identifiers', () => {
    expect(canadianRoutingNumber('11000', '000')).toBe('11000-000');
    expect(canadianRoutingNumber('1100', '000')).toBeNull();
    expect(normalizeSortCode('10-88-00')).toBe('108800');
    expect(normalizeSortCode('1088')).toBeNull();
    expect(normalizeBsb('110-000')).toBe('110000');
    expect(normalizeBsb('11000a')).toBeNull();
  });
});
