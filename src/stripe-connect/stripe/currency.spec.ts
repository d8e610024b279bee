import { describe, expect, it } from 'vitest';
import {
  chargeAmountProblem,
  currencyExponent,
  fromMinorUnits,
  MoneyError,
  payoutAmountProblem,
  toMinorUnits,
} from './currency.js';

describe('currency', () => {
  it('knows each currency’s exponent', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('jpy')).toBe(0);
    expect(currencyExponent('ugx')).toBe(0);
    expect(currencyExponent('vnd')).toBe(0);
    expect(currencyExponent('kwd')).toBe(3);
    expect(currencyExponent('huf')).toBe(2);
    expect(() => currencyExponent('dollars')).toThrow(MoneyError);
  });

  it('converts decimal strings to minor units exactly, refusing extra precision', () => {
    expect(toMinorUnits('12.34', 'usd')).toBe(1234);
    expect(toMinorUnits('0.1', 'usd')).toBe(10);
    expect(() => toMinorUnits('10.005', 'usd')).toThrow('USD has 2 decimals');
    expect(toMinorUnits('1000', 'jpy')).toBe(1000);
    expect(() => toMinorUnits('1000.5', 'jpy')).toThrow('JPY has 0 decimals');
    expect(toMinorUnits('1.5', 'kwd')).toBe(1500);
    expect(toMinorUnits('0.29', 'usd')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(toMinorUnits('999999.99', 'usd')).toBe(99_999_999);
    expect(() => toMinorUnits('1e3', 'usd')).toThrow(MoneyError);
  });

  it('converts minor units back, and round-trips', () => {
    expect(fromMinorUnits(1234, 'usd')).toBe('12.34');
    expect(fromMinorUnits(5, 'usd')).toBe('0.05');
    expect(fromMinorUnits(1000, 'jpy')).toBe('1000');
    expect(fromMinorUnits(1500, 'kwd')).toBe('1.500');
    expect(fromMinorUnits(-250, 'eur')).toBe('-2.50');
    for (const [amount, currency] of [
      [1, 'usd'],
      [99_999_999, 'usd'],
      [50, 'jpy'],
      [10, 'kwd'],
      [123456, 'bhd'],
    ] as const) {
      expect(toMinorUnits(fromMinorUnits(amount, currency), currency)).toBe(amount);
    }
  });

  it('applies Stripe’s charge and payout rules', () => {
    expect(chargeAmountProblem(50, 'usd')).toBeNull();
    expect(chargeAmountProblem(49, 'usd')).toContain('at least 50 (0.50 USD)');
    expect(chargeAmountProblem(30, 'gbp')).toBeNull();
    expect(chargeAmountProblem(100_000_000, 'usd')).toContain('at most');
    expect(chargeAmountProblem(1505, 'kwd')).toContain('multiples of 10');
    expect(chargeAmountProblem(1500, 'kwd')).toBeNull();
    expect(chargeAmountProblem(0, 'usd')).toContain('positive');
    expect(payoutAmountProblem(150, 'huf')).toContain('whole HUF');
    expect(payoutAmountProblem(200, 'twd')).toBeNull();
    expect(payoutAmountProblem(1234, 'usd')).toBeNull();
  });
});
