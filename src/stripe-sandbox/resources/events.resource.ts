import { resourceMissing } from '../sandbox.errors.js';
import { matchesRange, paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { StripeSandbox } from '../stripe-sandbox.js';
import { optionalBoolean, optionalString, optionalStringArray } from './params.js';

type Event = Record<string, unknown> & { type: string; created: number; pending_webhooks: number };

/** Events are retrievable and listable for 30 days, by the account they belong to. */
export function registerEventRoutes(sandbox: StripeSandbox): void {
  const render = (stored: StoredObject) => ({ ...(stored.data as Event) });
  sandbox.renderer('event', ['evt'], render);

  sandbox.route('GET', '/v1/events/:id', (ctx) => {
    const stored = ctx.sandbox.store.get<Event>(ctx.pathParams.id);
    if (!stored || stored.kind !== 'event' || stored.scope !== ctx.scope) {
      throw resourceMissing('event', ctx.pathParams.id);
    }
    return render(stored);
  });

  sandbox.route(
    'GET',
    '/v1/events',
    (ctx) => {
      const type = optionalString(ctx.params, 'type');
      const types = optionalStringArray(ctx.params, 'types');
      const deliverySuccess = optionalBoolean(ctx.params, 'delivery_success');
      const matchesType = (t: string) => {
        if (type !== undefined) {
          if (!type.includes('*')) return t === type;
          const pattern = new RegExp(`^${type.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
          return pattern.test(t);
        }
        return types === undefined || types.includes(t);
      };
      const items = ctx.sandbox.store.list<Event>(
        'event',
        (e) =>
          e.scope === ctx.scope &&
          matchesType(e.data.type) &&
          matchesRange(e.data.created, ctx.params.created, 'created') &&
          (deliverySuccess === undefined || (e.data.pending_webhooks === 0) === deliverySuccess),
      );
      return paginate(ctx.params, items, render, '/v1/events', 'event');
    },
    ['limit', 'starting_after', 'ending_before', 'type', 'types', 'created', 'delivery_success'],
  );
}
