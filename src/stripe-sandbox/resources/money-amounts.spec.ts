import { describe, expect, it } from 'vitest';
import { prorate } from './money-amounts.js';

describe('prorate', () => {
  it('rounds an exact half up where floating point falls just below it', () => {
    // 3333 * (900 / 6600) is 454.49999999999994 in doubles; the share is exactly 454.5.
    expect(prorate(3_333, 900, 6_600, 3_333)).toBe(455);
    expect(prorate(3_267, 900, 6_600, 3_267)).toBe(446);
  });

  it('gives the whole on a full refund and never more than what is left', () => {
    expect(prorate(9_000, 10_000, 10_000, 9_000)).toBe(9_000);
    expect(prorate(3_333, 5_700, 6_600, 2_878)).toBe(2_878);
  });

  it('stays exact where the product of two amounts exceeds what a double holds', () => {
    // 99,999,999 * 99,999,997 is beyond 2^53: doubles would round it before the division.
    expect(prorate(99_999_999, 99_999_997, 99_999_999, 99_999_999)).toBe(99_999_997);
    expect(prorate(99_999_998, 33_333_333, 99_999_999, 99_999_998)).toBe(33_333_333);
  });
});
