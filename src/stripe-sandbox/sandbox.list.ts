import { invalidParam, resourceMissing } from './sandbox.errors.js';
import { describeValue, type FormObject, type FormValue } from './form-codec.js';
import type { StoredObject } from './sandbox.store.js';

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
  const limit = asInteger(params.limit, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidParam(
      'limit',
      'Invalid limit: must be between 1 and 100',
      'parameter_invalid_integer',
    );
  }
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
