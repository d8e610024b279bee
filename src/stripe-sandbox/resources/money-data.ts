/** What the money resources share: how they find their objects, answer them, and list them. */
import { resourceMissing } from '../sandbox.errors.js';
import { matchesRange, paginate } from '../sandbox.list.js';
import type { SandboxStore, StoredObject } from '../sandbox.store.js';
import { PAGE_PARAMS } from './params.js';
import type { RequestContext } from '../stripe-sandbox.js';

/** A money object as stored: Stripe's own shape, answered as is. */
export type MoneyData = Record<string, unknown> & { id: string };

/** The filters the money lists take (Stripe's; the sandbox filters by `created` only). */
export const MONEY_LIST_PARAMS = [
  ...PAGE_PARAMS,
  'created',
  'customer',
  'payment_intent',
  'destination',
  'status',
  'transfer_group',
  'charge',
  'type',
];

/** An object of `kind` on the requesting account (or the platform). */
export function findOwned<T extends MoneyData>(
  ctx: RequestContext,
  kind: string,
  id: string,
  noun: string,
  param = 'id',
): StoredObject<T> {
  const stored = ctx.sandbox.store.get<T>(id);
  if (!stored || stored.kind !== kind || stored.scope !== ctx.scope)
    throw resourceMissing(noun, id, param);
  return stored;
}

/** A connected account that exists and is not deleted. */
export function accountOf(store: SandboxStore, id: string): StoredObject<MoneyData> | undefined {
  const stored = store.get<MoneyData>(id);
  return stored && stored.kind === 'account' && !stored.data.deleted ? stored : undefined;
}

/** A copy of the stored object, as the API answers it. */
export function plain(stored: StoredObject): MoneyData {
  return { ...(stored.data as MoneyData) };
}

/** A whole list embedded in an object (a charge's refunds, a transfer's reversals). */
export function embeddedList(data: unknown[], url: string) {
  return { object: 'list', data, has_more: false, total_count: data.length, url };
}

/** A page of the requesting account's objects of `kind`, filtered by `created`. */
export function listOwned(
  ctx: RequestContext,
  kind: string,
  url: string,
  noun: string,
  render: (stored: StoredObject<MoneyData>) => unknown = plain,
): unknown {
  const items = ctx.sandbox.store.list<MoneyData>(
    kind,
    (o) =>
      o.scope === ctx.scope &&
      matchesRange(o.data.created as number, ctx.params.created, 'created'),
  );
  return paginate(ctx.params, items, render, url, noun);
}
