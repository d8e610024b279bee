import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { StoredObject } from './sandbox.store.js';
import type { StripeSandbox } from './stripe-sandbox.js';

/** An endpoint configured in-process (not through `/v1/webhook_endpoints`). */
export interface WebhookEndpointConfig {
  url: string;
  /** Signing secret (`whsec_…`). */
  secret: string;
  /** true: connected-account events only; false: the platform's own events only. */
  connect: boolean;
  /** Event types to send; default every type (`*`). */
  enabledEvents?: string[];
}

interface Endpoint {
  id: string;
  url: string;
  secret: string;
  connect: boolean;
  enabledEvents: string[];
}

/** Seconds after a failed attempt before the next one: three retries over a few hours, as in test mode. */
export const WEBHOOK_RETRY_DELAYS = [3600, 2 * 3600, 4 * 3600];
const DELIVERY_TIMEOUT_MS = 20_000;

/** Stripe's signature: `t=<unix>,v1=<hex HMAC-SHA256 of "t.body" keyed by the secret>` (and a test-mode v0). */
export function signPayload(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  const v0 = createHmac('sha256', randomBytes(16)).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${v1},v0=${v0}`;
}

/**
 * Sends each event to the endpoints that want it, asynchronously and concurrently (so in no guaranteed
 * order), signed as Stripe signs; a non-2xx answer or a network failure is retried on the sandbox clock.
 */
export class WebhookDispatcher {
  private readonly inflight = new Set<Promise<void>>();
  private configured: Endpoint[] = [];

  constructor(
    private readonly sandbox: StripeSandbox,
    configured: WebhookEndpointConfig[],
  ) {
    this.configure(configured);
    sandbox.onTask('webhook_retry', (task) =>
      this.attempt(
        String(task.payload.eventId),
        String(task.payload.endpointId),
        Number(task.payload.attempt),
      ),
    );
  }

  /** Replaces the in-process endpoints (the host app registers its own two at boot). */
  configure(configs: WebhookEndpointConfig[]): void {
    this.configured = configs.map((config) => ({
      id: `we_cfg_${createHash('sha256').update(`${config.connect}:${config.url}`).digest('hex').slice(0, 20)}`,
      url: config.url,
      secret: config.secret,
      connect: config.connect,
      enabledEvents: config.enabledEvents ?? ['*'],
    }));
  }

  private endpoints(): Endpoint[] {
    const registered = this.sandbox.store
      .list<Record<string, unknown>>('webhook_endpoint', (e) => e.data.status === 'enabled')
      .map((e) => ({
        id: e.id,
        url: String(e.data.url),
        secret: String(e.data.secret),
        connect: e.data.connect === true,
        enabledEvents: e.data.enabled_events as string[],
      }));
    return [...this.configured, ...registered];
  }

  private endpoint(id: string): Endpoint | undefined {
    return this.endpoints().find((endpoint) => endpoint.id === id);
  }

  dispatch(event: StoredObject): void {
    const data = event.data as { type: string; account?: string; pending_webhooks: number };
    const targets = this.endpoints().filter(
      (endpoint) =>
        endpoint.connect === (data.account !== undefined) &&
        (endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(data.type)),
    );
    if (!targets.length) return;
    data.pending_webhooks = targets.length;
    this.sandbox.store.save(event);
    for (const endpoint of targets) {
      // After the current request has answered, as Stripe delivers.
      this.track(
        new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
          this.attempt(event.id, endpoint.id, 1),
        ),
      );
    }
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  /** Resolves when no delivery is under way (those it starts meanwhile included). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private async attempt(eventId: string, endpointId: string, attempt: number): Promise<void> {
    const event = this.sandbox.store.get<Record<string, unknown>>(eventId);
    const endpoint = this.endpoint(endpointId);
    if (!event || !endpoint) return;
    const payload = JSON.stringify(event.data, null, 2);
    const signature = signPayload(payload, endpoint.secret, this.sandbox.clock.now());
    let outcome: string;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Stripe-Signature': signature,
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        const data = event.data as { pending_webhooks: number };
        data.pending_webhooks = Math.max(0, data.pending_webhooks - 1);
        this.sandbox.store.save(event);
        this.sandbox.log(
          `delivered ${eventId} (${String(event.data.type)}) to ${endpoint.url}: ${response.status}`,
        );
        return;
      }
      outcome = `HTTP ${response.status}`;
    } catch (error) {
      outcome = error instanceof Error ? error.message : String(error);
    }
    const delay = WEBHOOK_RETRY_DELAYS[attempt - 1];
    this.sandbox.log(
      `delivery of ${eventId} to ${endpoint.url} failed (${outcome})${delay ? `; retry in ${delay} s` : '; giving up'}`,
    );
    if (delay !== undefined) {
      this.sandbox.scheduleTask('webhook_retry', this.sandbox.clock.now() + delay, {
        eventId,
        endpointId,
        attempt: attempt + 1,
      });
    }
  }
}
