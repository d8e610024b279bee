import type { FormObject } from '../form-codec.js';
import { invalidParam, missingParam, resourceMissing } from '../sandbox.errors.js';
import { newId, randomToken } from '../sandbox.ids.js';
import { paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import { SANDBOX_API_VERSION, type RequestContext, type StripeSandbox } from '../stripe-sandbox.js';
import {
  applyMetadata,
  optionalBoolean,
  optionalString,
  optionalStringArray,
  PAGE_PARAMS,
} from './params.js';

type Endpoint = Record<string, unknown> & {
  id: string;
  secret: string;
  metadata: Record<string, string>;
  enabled_events: string[];
};

const EVENT_TYPE = /^(\*|[a-z_]+(\.[a-z_]+)+)$/;

function readEvents(params: FormObject, required: boolean): string[] | undefined {
  const events = optionalStringArray(params, 'enabled_events');
  if (events === undefined) {
    if (required) throw missingParam('enabled_events');
    return undefined;
  }
  if (!events.length) throw missingParam('enabled_events');
  for (const [i, type] of events.entries()) {
    if (!EVENT_TYPE.test(type)) {
      throw invalidParam(
        `enabled_events[${i}]`,
        `Invalid enabled_events[${i}]: must be an event type or '*'`,
      );
    }
  }
  return events;
}

function readUrl(params: FormObject, required: boolean): string | undefined {
  const url = optionalString(params, 'url');
  if (url === undefined || url === '') {
    if (required) throw missingParam('url');
    return undefined;
  }
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('protocol');
  } catch {
    throw invalidParam(
      'url',
      'Invalid URL: URL must be publicly accessible and use http or https',
      'url_invalid',
    );
  }
  return url;
}

function renderEndpoint(stored: StoredObject): Record<string, unknown> {
  const { secret: _secret, connect: _connect, ...visible } = stored.data as Endpoint;
  return visible;
}

/** An endpoint of the platform (accounts have none of their own). */
function findEndpoint(ctx: RequestContext): StoredObject<Endpoint> {
  const stored = ctx.sandbox.store.get<Endpoint>(ctx.pathParams.id);
  if (!stored || stored.kind !== 'webhook_endpoint' || ctx.scope !== null) {
    throw resourceMissing('webhook endpoint', ctx.pathParams.id);
  }
  return stored;
}

function createEndpoint(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null)
    throw invalidParam('connect', 'Webhook endpoints are created by the platform');
  const url = readUrl(ctx.params, true)!;
  const enabledEvents = readEvents(ctx.params, true)!;
  const id = newId('we');
  const endpoint: Endpoint = {
    id,
    object: 'webhook_endpoint',
    api_version: optionalString(ctx.params, 'api_version') ?? SANDBOX_API_VERSION,
    application: null,
    connect: optionalBoolean(ctx.params, 'connect') ?? false,
    created: ctx.sandbox.clock.now(),
    description: optionalString(ctx.params, 'description') ?? null,
    enabled_events: enabledEvents,
    livemode: false,
    metadata: applyMetadata({}, ctx.params),
    secret: `whsec_${randomToken(32)}`,
    status: 'enabled',
    url,
  };
  const stored = ctx.sandbox.store.insert('webhook_endpoint', null, id, endpoint);
  return { ...renderEndpoint(stored), secret: endpoint.secret };
}

function retrieveEndpoint(ctx: RequestContext): Record<string, unknown> {
  return renderEndpoint(findEndpoint(ctx));
}

function updateEndpoint(ctx: RequestContext): Record<string, unknown> {
  const stored = findEndpoint(ctx);
  const url = readUrl(ctx.params, false);
  const events = readEvents(ctx.params, false);
  const disabled = optionalBoolean(ctx.params, 'disabled');
  const description = optionalString(ctx.params, 'description');
  stored.data = {
    ...stored.data,
    ...(url ? { url } : {}),
    ...(events ? { enabled_events: events } : {}),
    ...(disabled !== undefined ? { status: disabled ? 'disabled' : 'enabled' } : {}),
    ...(description !== undefined ? { description: description || null } : {}),
    metadata: applyMetadata(stored.data.metadata, ctx.params),
  };
  ctx.sandbox.store.save(stored);
  return renderEndpoint(stored);
}

function deleteEndpoint(ctx: RequestContext): Record<string, unknown> {
  const stored = findEndpoint(ctx);
  ctx.sandbox.store.remove(stored.id);
  return { id: stored.id, object: 'webhook_endpoint', deleted: true };
}

function listEndpoints(ctx: RequestContext): unknown {
  const items = ctx.scope === null ? ctx.sandbox.store.list('webhook_endpoint') : [];
  return paginate(ctx.params, items, renderEndpoint, '/v1/webhook_endpoints', 'webhook endpoint');
}

/** `/v1/webhook_endpoints`: registering an endpoint answers its signing secret, once. */
export function registerWebhookEndpoints(sandbox: StripeSandbox): void {
  sandbox.renderer('webhook_endpoint', ['we'], renderEndpoint);
  sandbox.route('POST', '/v1/webhook_endpoints', createEndpoint, [
    'url',
    'enabled_events',
    'connect',
    'api_version',
    'description',
    'metadata',
  ]);
  sandbox.route('GET', '/v1/webhook_endpoints/:id', retrieveEndpoint);
  sandbox.route('POST', '/v1/webhook_endpoints/:id', updateEndpoint, [
    'url',
    'enabled_events',
    'disabled',
    'description',
    'metadata',
  ]);
  sandbox.route('DELETE', '/v1/webhook_endpoints/:id', deleteEndpoint);
  sandbox.route('GET', '/v1/webhook_endpoints', listEndpoints, PAGE_PARAMS);
}
