/**
 * What no caller may send to a library route, whatever the route's own form: text PostgreSQL cannot store
 * (`\u0000`) or that is not Unicode (a lone surrogate), nesting deeper than any form needs, keys that name
 * an object's own machinery (`__proto__`, `constructor`, `toString`…), `null` (omit a field instead).
 * Checked before any pipe transforms the input, so nothing downstream meets them. Pure functions.
 */
import type { FieldErrors } from './validation.js';

/** No form of the library nests deeper than this (`company.representative.address.line1` is 4). */
export const MAX_INPUT_DEPTH = 8;
/** No form of the library has more fields than this, counting nested ones. */
export const MAX_INPUT_NODES = 2_000;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Keys that reach into an object's prototype or shadow its methods. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** Why a string cannot be taken, or null. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it has a lone surrogate)';
  return null;
}

function push(errors: FieldErrors, field: string, message: string): void {
  // Own properties only: a field named `toString` must not find Object.prototype's.
  const key = field || 'body';
  // defineProperty: assigning `errors['__proto__']` would set the prototype instead of a field.
  if (!Object.hasOwn(errors, key))
    Object.defineProperty(errors, key, {
      value: [],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  errors[key].push(message);
}

/**
 * Every problem of a parsed input (body, query or path parameters), keyed by dotted field path (`prefix`
 * first). Stops early on very large or deep input: a few errors are enough to refuse it. `prototypes: false`
 * for input already transformed into DTO classes (a host's global pipe ran first).
 */
export function inputProblems(
  input: unknown,
  prefix = '',
  { prototypes = true }: { prototypes?: boolean } = {},
): FieldErrors {
  const errors: FieldErrors = {};
  let nodes = 0;
  const visit = (value: unknown, path: string, depth: number): void => {
    nodes += 1;
    if (nodes > MAX_INPUT_NODES) {
      if (nodes === MAX_INPUT_NODES + 1)
        push(errors, prefix, `has more than ${MAX_INPUT_NODES} values`);
      return;
    }
    if (value === null) {
      push(errors, path, 'must not be null (omit the field instead)');
      return;
    }
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) push(errors, path, problem);
      return;
    }
    if (typeof value !== 'object') return;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (prototypes && proto !== Object.prototype && proto !== null && proto !== Array.prototype) {
      // A parser that assigned a `__proto__` key gave the object another prototype.
      push(errors, path, 'has a field name that is not accepted (__proto__)');
      return;
    }
    if (depth >= MAX_INPUT_DEPTH) {
      push(errors, path, `nests deeper than ${MAX_INPUT_DEPTH} levels`);
      return;
    }
    for (const key of Object.keys(value)) {
      const child = path ? `${path}.${key}` : key;
      const keyProblem = RESERVED_KEYS.has(key)
        ? `is not an accepted field name`
        : textProblem(key);
      if (keyProblem) {
        push(errors, child.replaceAll('\u0000', '\\u0000'), keyProblem);
        continue;
      }
      visit((value as Record<string, unknown>)[key], child, depth + 1);
    }
  };
  visit(input, prefix, 0);
  return errors;
}
