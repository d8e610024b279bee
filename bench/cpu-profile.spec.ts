import { describe, expect, it } from 'vitest';
import { normaliseSql } from './bench-child.js';
import { summariseProfile } from './cpu-profile.js';
import { quantile } from './load-generator.js';

describe('the bench reports', () => {
  it('sums self time by function and by area, leaving idle time out', () => {
    const frame = (functionName: string, url: string, lineNumber = 0) => ({
      functionName,
      url,
      lineNumber,
    });
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('parseRow', 'file:///app/node_modules/pg/lib/result.js', 62) },
        {
          id: 4,
          callFrame: frame('handle', 'file:///app/dist/src/stripe-connect/webhooks/x.js', 9),
        },
        { id: 5, callFrame: frame('(garbage collector)', '') },
      ],
      samples: [3, 2, 4, 3, 5],
      timeDeltas: [0, 1000, 5000, 1500, 1000, 500],
    });
    expect(summary.totalMs).toBeCloseTo(4);
    expect(summary.areas.map((a) => [a.name, a.ms])).toEqual([
      ['pg', 2],
      ['src/stripe-connect/webhooks', 1.5],
      ['(garbage collector)', 0.5],
    ]);
    expect(summary.functions[0]).toMatchObject({ name: 'parseRow pg/lib/result.js:63', ms: 2 });
  });

  it('counts one statement shape whatever its literals, and takes nearest-rank quantiles', () => {
    expect(normaliseSql("SELECT  *\n FROM t WHERE a = $1 AND b = 'x''y'")).toBe(
      "SELECT * FROM t WHERE a = $? AND b = '?'",
    );
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 0.99)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
