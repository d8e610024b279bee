/**
 * Text PostgreSQL cannot store, made storable. `text` and `jsonb` refuse `\u0000`, and a lone UTF-16
 * surrogate is not Unicode; both can arrive from Stripe (an event, a fetched object) when someone else put them
 * there. Refusing such an event would poison its account for ever (every later delivery failing), so each is
 * replaced by U+FFFD, the replacement character. Callers' own input is refused at the edge instead
 * (input-hygiene.ts). Pure functions.
 */

// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with every NUL and lone surrogate replaced by U+FFFD. */
export function storableString(value: string): string {
  return value.replace(UNSTORABLE, '\ufffd');
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Any NUL or surrogate (paired ones included): only a string holding one can need a change. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const SUSPECT = /[\u0000\ud800-\udfff]/;

/**
 * Whether a JSON-like value needs no change: the same walk as `storableText`, without copying anything (most
 * values, e.g. every object of a backfill page, need none).
 */
function isStorable(value: unknown): boolean {
  if (typeof value === 'string') return !SUSPECT.test(value) || storableString(value) === value;
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!isStorable(item)) return false;
    return true;
  }
  if (!isPlainObject(value)) return true;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (!isStorable(key) || !isStorable(record[key])) return false;
  }
  return true;
}

/**
 * A copy of a JSON-like value (keys included) with every string made storable; other values (numbers, dates,
 * class instances, functions) are kept as they are. Returns the value itself when nothing needed changing.
 */
export function storableText<T>(value: T): T {
  return isStorable(value) ? value : storableCopy(value);
}

function storableCopy<T>(value: T): T {
  if (typeof value === 'string') return storableString(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const copy = value.map((item: unknown) => {
      const clean = storableText(item);
      if (clean !== item) changed = true;
      return clean;
    });
    return (changed ? copy : value) as T;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const cleanKey = storableString(key);
    const clean = storableText(item);
    if (cleanKey !== key || clean !== item) changed = true;
    copy[cleanKey] = clean;
  }
  return (changed ? copy : value) as T;
}
