/** Reading Stripe's form parameters (all strings on the wire) into typed values, with Stripe's errors. */
import { describeValue, type FormObject, type FormValue } from '../form-codec.js';
import { invalidParam, missingParam } from '../sandbox.errors.js';

/** The pagination parameters every list takes. */
export const PAGE_PARAMS = ['limit', 'starting_after', 'ending_before'];

export function optionalString(params: FormObject, name: string, param = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalidParam(param, `Invalid string: ${param} must be a string`);
  return value;
}

export function requiredString(params: FormObject, name: string, param = name): string {
  const value = optionalString(params, name, param);
  if (value === undefined || value === '') throw missingParam(param);
  return value;
}

export function optionalInteger(
  params: FormObject,
  name: string,
  param = name,
): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw invalidParam(
      param,
      `Invalid integer: ${describeValue(value)}`,
      'parameter_invalid_integer',
    );
  }
  return Number(value);
}

export function optionalBoolean(
  params: FormObject,
  name: string,
  param = name,
): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(
    param,
    `Invalid boolean: ${describeValue(value)}`,
    'parameter_invalid_boolean',
  );
}

export function optionalHash(
  params: FormObject,
  name: string,
  param = name,
): FormObject | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      param,
      `Invalid object: ${param} must be a hash`,
      'parameter_invalid_object',
    );
  }
  return value;
}

export function optionalStringArray(
  params: FormObject,
  name: string,
  param = name,
): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.some((item) => typeof item !== 'string')) {
    throw invalidParam(
      param,
      `Invalid array: ${param} must be a list of strings`,
      'parameter_invalid_array',
    );
  }
  return list as string[];
}

/** Refuses keys of a hash that the endpoint does not take (`individual[foo]`). */
export function onlyKeys(hash: FormObject, allowed: string[], param: string): void {
  for (const key of Object.keys(hash)) {
    if (!allowed.includes(key)) {
      const name = param ? `${param}[${key}]` : key;
      throw invalidParam(name, `Received unknown parameter: ${name}`, 'parameter_unknown');
    }
  }
}

/** Stripe's metadata semantics: keys set, `metadata[k]=` removes one, `metadata=` clears all. */
export function applyMetadata(
  current: Record<string, string>,
  params: FormObject,
): Record<string, string> {
  const value = params.metadata;
  if (value === undefined) return current;
  if (value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      'metadata',
      'Invalid object: metadata must be a hash',
      'parameter_invalid_object',
    );
  }
  const next = { ...current };
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw invalidParam(`metadata[${key}]`, 'Metadata values must be strings');
    if (key.length > 40)
      throw invalidParam(`metadata[${key}]`, 'Metadata keys can be at most 40 characters');
    if (v.length > 500)
      throw invalidParam(`metadata[${key}]`, 'Metadata values can be at most 500 characters');
    if (v === '') delete next[key];
    else next[key] = v;
  }
  if (Object.keys(next).length > 50)
    throw invalidParam('metadata', 'Metadata can have at most 50 keys');
  return next;
}

/** Deep-merges a form hash into a plain object; '' unsets a field (null). */
export function mergeHash(
  current: Record<string, unknown> | null | undefined,
  update: FormValue,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...(current ?? {}) };
  if (typeof update !== 'object' || Array.isArray(update)) return next;
  for (const [key, value] of Object.entries(update)) {
    if (value === '') next[key] = null;
    else if (typeof value === 'object' && !Array.isArray(value)) {
      next[key] = mergeHash(next[key] as Record<string, unknown> | null, value);
    } else next[key] = value;
  }
  return next;
}

/**
 * Stripe's `previous_attributes`: for every field that changed, its old value; nested hashes give only
 * their changed fields.
 */
export function previousAttributes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key];
    const now = after[key];
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    if (isPlainObject(old) && isPlainObject(now) && old.object !== 'list') {
      const nested = previousAttributes(old, now);
      if (nested) out[key] = nested;
    } else out[key] = old === undefined ? null : old;
  }
  return Object.keys(out).length ? out : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
