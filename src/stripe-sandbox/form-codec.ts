/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` (or a query string) with bracket notation for
 * nested hashes and arrays: `individual[dob][day]=1`, `expand[]=x`, `expand[0]=x`, `items[0][price]=p`,
 * `metadata[k]=v`. Values stay strings; an empty value means "unset" to Stripe and is kept as ''.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

const KEY = /^([^[\]]+)((?:\[[^\]]*\])*)$/;

export class FormDecodeError extends Error {}

/** Splits `a[b][]` into `['a', 'b', '']`. */
function segmentsOf(key: string): string[] {
  const match = KEY.exec(key);
  if (!match) throw new FormDecodeError(`Invalid parameter name: ${key}`);
  const rest = match[2] ? match[2].slice(1, -1).split('][') : [];
  return [match[1], ...rest];
}

type Container = Record<string, unknown> | unknown[];

function assign(
  root: Record<string, unknown>,
  segments: string[],
  value: string,
  key: string,
): void {
  let node: Container = root;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const nextIsArray = !last && (segments[i + 1] === '' || /^\d+$/.test(segments[i + 1]));
    if (Array.isArray(node)) {
      const index = segment === '' ? node.length : Number(segment);
      if (!/^\d*$/.test(segment) || index > 10_000) {
        throw new FormDecodeError(`Invalid array index in parameter: ${key}`);
      }
      if (last) {
        node[index] = value;
        return;
      }
      node[index] ??= nextIsArray ? [] : {};
      node = node[index] as Container;
    } else {
      if (segment === '') throw new FormDecodeError(`Invalid parameter name: ${key}`);
      if (last) {
        node[segment] = value;
        return;
      }
      const existing = node[segment];
      if (existing === undefined || typeof existing === 'string') {
        node[segment] = nextIsArray ? [] : {};
      }
      node = node[segment] as Container;
    }
  }
}

/** Drops array holes left by sparse indices. */
function compact(value: unknown): FormValue {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (value && typeof value === 'object') {
    const out: FormObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = compact(v);
    return out;
  }
  return value as string;
}

export function decodeForm(body: string): FormObject {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    assign(root, segmentsOf(key), value, key);
  }
  return compact(root) as FormObject;
}

/** The inverse, for tests and the sandbox's own clients: nested values in bracket notation. */
export function encodeForm(value: Record<string, unknown>): string {
  const pairs: [string, string][] = [];
  const walk = (prefix: string, v: unknown): void => {
    if (v === undefined) return;
    if (Array.isArray(v)) v.forEach((item, i) => walk(`${prefix}[${i}]`, item));
    else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) walk(prefix ? `${prefix}[${k}]` : k, inner);
    } else pairs.push([prefix, v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)]);
  };
  walk('', value);
  return new URLSearchParams(pairs).toString();
}

/** A parameter's value for an error message. */
export function describeValue(value: FormValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
