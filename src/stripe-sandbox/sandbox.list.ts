import { invalidParam, resourceMissing } from './sandbox.errors.js';
import { describeValue, type FormObject, type FormValue } from './form-codec.js';
import type { SandboxStore, StoredObject } from './sandbox.store.js';

function limitOf(params: FormObject): number {
  const limit = asInteger(params.limit, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam(
      'limit',
      'Invalid limit: must be between 1 and 100',
      'parameter_invalid_integer',
    );
  }
  return limit;
}

export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

function asInteger(value: FormValue | undefined, param: string): number | undefined {
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

/** Applies Stripe's range filter (`created=…` or `created[gt|gte|lt|lte]=…`) to a unix time. */
export function matchesRange(value: number, filter: FormValue | undefined, param: string): boolean {
  if (filter === undefined || filter === '') return true;
  if (typeof filter === 'string') return value === asInteger(filter, param);
  if (Array.isArray(filter))
    throw invalidParam(param, `Invalid ${param}: must be an integer or a hash`);
  const bounds = filter;
  const gt = asInteger(bounds.gt, `${param}[gt]`);
  const gte = asInteger(bounds.gte, `${param}[gte]`);
  const lt = asInteger(bounds.lt, `${param}[lt]`);
  const lte = asInteger(bounds.lte, `${param}[lte]`);
  return (
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte)
  );
}

/**
 * One page of a newest-first list, as Stripe pages: `limit` (1 to 100, default 10), `starting_after` (older
 * than that object), `ending_before` (newer than it), `has_more`.
 */
export function paginate<T extends object, R>(
  params: FormObject,
  items: StoredObject<T>[],
  render: (item: StoredObject<T>) => R,
  url: string,
  noun: string,
): StripeList<R> {
  const limit = limitOf(params);
  const startingAfter = params.starting_after;
  const endingBefore = params.ending_before;
  let page: StoredObject<T>[];
  let hasMore: boolean;
  if (typeof endingBefore === 'string' && endingBefore) {
    const index = items.findIndex((item) => item.id === endingBefore);
    if (index < 0) throw resourceMissing(noun, endingBefore, 'ending_before');
    const newer = items.slice(0, index);
    page = newer.slice(Math.max(0, newer.length - limit));
    hasMore = newer.length > limit;
  } else {
    let start = 0;
    if (typeof startingAfter === 'string' && startingAfter) {
      const index = items.findIndex((item) => item.id === startingAfter);
      if (index < 0) throw resourceMissing(noun, startingAfter, 'starting_after');
      start = index + 1;
    }
    page = items.slice(start, start + limit);
    hasMore = items.length > start + limit;
  }
  return { object: 'list', data: page.map(render), has_more: hasMore, url };
}

/**
 * The same page as `paginate`, read straight from the store's creation order: the cursor is found by id and
 * only the objects of the page (and those `where` skips) are visited, so a page costs the same at 100 objects
 * or at 100,000.
 */
export function paginateKind<T extends object, R>(
  params: FormObject,
  store: SandboxStore,
  kind: string,
  where: (item: StoredObject<T>) => boolean,
  render: (item: StoredObject<T>) => R,
  url: string,
  noun: string,
): StripeList<R> {
  const limit = limitOf(params);
  const cursorOf = (param: string): StoredObject<T> | undefined => {
    const id = params[param];
    if (typeof id !== 'string' || !id) return undefined;
    const stored = store.get<T>(id);
    if (!stored || stored.kind !== kind || !where(stored)) throw resourceMissing(noun, id, param);
    return stored;
  };
  const take = (items: Iterable<StoredObject<T>>): StoredObject<T>[] => {
    const page: StoredObject<T>[] = [];
    for (const item of items) {
      if (!where(item)) continue;
      page.push(item);
      if (page.length > limit) break;
    }
    return page;
  };
  const before = cursorOf('ending_before');
  if (before) {
    const newer = take(store.walk<T>(kind, { afterSeq: before.seq }));
    const page = newer.slice(0, limit).reverse();
    return { object: 'list', data: page.map(render), has_more: newer.length > limit, url };
  }
  const after = cursorOf('starting_after');
  const page = take(store.walk<T>(kind, after ? { beforeSeq: after.seq } : {}));
  return {
    object: 'list',
    data: page.slice(0, limit).map(render),
    has_more: page.length > limit,
    url,
  };
}
