import { resourceMissing } from '../sandbox.errors.js';
import { matchesRange, paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { optionalBoolean, optionalString, optionalStringArray, PAGE_PARAMS } from './params.js';

type Event = Record<string, unknown> & { type: string; created: number; pending_webhooks: number };

function renderEvent(stored: StoredObject): Record<string, unknown> {
  return { ...(stored.data as Event) };
}

function retrieveEvent(ctx: RequestContext): Record<string, unknown> {
  const stored = ctx.sandbox.store.get<Event>(ctx.pathParams.id);
  if (!stored || stored.kind !== 'event' || stored.scope !== ctx.scope) {
    throw resourceMissing('event', ctx.pathParams.id);
  }
  return renderEvent(stored);
}

/** `type` (with `*` wildcards, `account.*`) or `types[]`: which event types a list asks for. */
function typeFilter(ctx: RequestContext): (type: string) => boolean {
  const type = optionalString(ctx.params, 'type');
  const types = optionalStringArray(ctx.params, 'types');
  if (type === undefined) return (t) => types === undefined || types.includes(t);
  if (!type.includes('*')) return (t) => t === type;
  const pattern = new RegExp(`^${type.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
  return (t) => pattern.test(t);
}

function listEvents(ctx: RequestContext): unknown {
  const matchesType = typeFilter(ctx);
  const deliverySuccess = optionalBoolean(ctx.params, 'delivery_success');
  const items = ctx.sandbox.store.list<Event>(
    'event',
    (e) =>
      e.scope === ctx.scope &&
      matchesType(e.data.type) &&
      matchesRange(e.data.created, ctx.params.created, 'created') &&
      (deliverySuccess === undefined || (e.data.pending_webhooks === 0) === deliverySuccess),
  );
  return paginate(ctx.params, items, renderEvent, '/v1/events', 'event');
}

/** Events are retrievable and listable for 30 days, by the account they belong to. */
export function registerEvents(sandbox: StripeSandbox): void {
  sandbox.renderer('event', ['evt'], renderEvent);
  sandbox.route('GET', '/v1/events/:id', retrieveEvent);
  sandbox.route('GET', '/v1/events', listEvents, [
    ...PAGE_PARAMS,
    'type',
    'types',
    'created',
    'delivery_success',
  ]);
}
