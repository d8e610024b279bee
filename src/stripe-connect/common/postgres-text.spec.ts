import { describe, expect, it } from 'vitest';
import { storableString, storableText } from './postgres-text.js';

describe('storableText', () => {
  it('replaces NUL and lone surrogates, keeping surrogate pairs', () => {
    expect(storableString('Jane\u0000Doe')).toBe('Jane\ufffdDoe');
    expect(storableString('a\ud800b')).toBe('a\ufffdb');
    expect(storableString('a\udc00')).toBe('a\ufffd');
    expect(storableString('😀 ok')).toBe('😀 ok');
  });

  it('cleans nested strings and keys, and keeps other values and unchanged objects as they are', () => {
    const date = new Date(0);
    const input = {
      id: 'ba_1',
      account_holder_name: 'Jane\u0000Doe',
      metadata: { 'k\u0000': ['x\ud800', 1, null] },
      at: date,
    };
    const clean = storableText(input);
    expect(clean).toEqual({
      id: 'ba_1',
      account_holder_name: 'Jane\ufffdDoe',
      metadata: { 'k\ufffd': ['x\ufffd', 1, null] },
      at: date,
    });
    expect(clean.at).toBe(date);
    expect(input.account_holder_name).toBe('Jane\u0000Doe');
    const untouched = { a: 'fine', b: [1, 'two'] };
    expect(storableText(untouched)).toBe(untouched);
  });
});
