/** Webhook endpoints, signed deliveries, retries on the sandbox clock, and persistence across a restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxClient,
  StripeSandbox,
  WEBHOOK_RETRY_DELAYS,
} from '../../src/stripe-sandbox/index.js';
import { startSandbox, stripeFor, WebhookReceiver } from '../support/sandbox.js';
import { TEST_DATA_ROOT } from '../support/test-database.js';

describe('sandbox webhooks and clock', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let clock: SandboxClient;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    clock = new SandboxClient(sandbox.url);
  });
  afterEach(async () => {
    // Endpoints of one test must not receive the next test's events.
    for (const endpoint of (await stripe.webhookEndpoints.list({ limit: 100 })).data) {
      await stripe.webhookEndpoints.del(endpoint.id);
    }
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  afterAll(() => sandbox.close());

  async function receiver(): Promise<WebhookReceiver> {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  }

  it('registers endpoints, answering the secret once', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['account.updated'],
      connect: true,
      description: 'connect',
    });
    expect(endpoint).toMatchObject({
      object: 'webhook_endpoint',
      status: 'enabled',
      enabled_events: ['account.updated'],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const again = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(again.secret).toBeUndefined();
    const updated = await stripe.webhookEndpoints.update(endpoint.id, { enabled_events: ['*'] });
    expect(updated.enabled_events).toEqual(['*']);
    await expect(
      stripe.webhookEndpoints.create({ url: 'ftp://x', enabled_events: ['*'] }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'url',
    });
  });

  it('delivers events signed as Stripe signs them, verifiable with constructEvent', async () => {
    const hook = await receiver();
    const endpoint = await stripe.webhookEndpoints.create({
      url: hook.url,
      enabled_events: ['customer.created'],
    });
    const customer = await stripe.customers.create({ email: 'signed@example.com' });
    await clock.advance(0);
    expect(hook.deliveries).toHaveLength(1);
    const [delivery] = hook.deliveries;
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(
      delivery.body,
      delivery.signature,
      endpoint.secret!,
    );
    expect(event).toMatchObject({
      type: 'customer.created',
      data: { object: { id: customer.id } },
    });
    expect(() =>
      stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_other'),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    // The stored event counts down its pending deliveries.
    const stored = await stripe.events.retrieve(event.id);
    expect(stored.pending_webhooks).toBe(0);
  });

  it('retries a delivery answered with 500 when the clock reaches the retry, with a new signature', async () => {
    const hook = await receiver();
    let failures = 2;
    hook.status = () => (failures-- > 0 ? 500 : 200);
    const endpoint = await stripe.webhookEndpoints.create({
      url: hook.url,
      enabled_events: ['customer.updated'],
    });
    const customer = await stripe.customers.create();
    await stripe.customers.update(customer.id, { name: 'Retried' });
    await clock.advance(0);
    expect(hook.deliveries).toHaveLength(1);

    await clock.advance(WEBHOOK_RETRY_DELAYS[0] - 10);
    expect(hook.deliveries).toHaveLength(1);
    await clock.advance(10);
    expect(hook.deliveries).toHaveLength(2);
    await clock.advance(WEBHOOK_RETRY_DELAYS[1]);
    expect(hook.deliveries).toHaveLength(3);
    await clock.advance(WEBHOOK_RETRY_DELAYS[2] * 2);
    expect(hook.deliveries).toHaveLength(3);

    const ids = new Set(hook.deliveries.map((d) => d.event.id));
    expect(ids.size).toBe(1);
    expect(new Set(hook.deliveries.map((d) => d.signature)).size).toBe(3);
    for (const d of hook.deliveries) {
      expect(stripe.webhooks.constructEvent(d.body, d.signature, endpoint.secret!).id).toBe(
        [...ids][0],
      );
    }
  });

  it('gives up after the last retry', async () => {
    const hook = await receiver();
    hook.status = () => 503;
    await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['customer.created'] });
    await stripe.customers.create();
    await clock.advance(0);
    for (const delay of WEBHOOK_RETRY_DELAYS) await clock.advance(delay);
    await clock.advance(7 * 24 * 3600);
    expect(hook.deliveries).toHaveLength(1 + WEBHOOK_RETRY_DELAYS.length);
  });

  it('sends connected-account events only to Connect endpoints, and platform events only to platform endpoints', async () => {
    const platformHook = await receiver();
    const connectHook = await receiver();
    await stripe.webhookEndpoints.create({ url: platformHook.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.create({
      url: connectHook.url,
      enabled_events: ['*'],
      connect: true,
    });
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      capabilities: { transfers: { requested: true } },
    });
    await stripe.customers.create({ email: 'platform@example.com' });
    await stripe.customers.create(
      { email: 'connected@example.com' },
      { stripeAccount: account.id },
    );
    await clock.advance(0);

    expect(platformHook.deliveries.length).toBeGreaterThan(0);
    expect(platformHook.deliveries.every((d) => d.event.account === undefined)).toBe(true);
    expect(connectHook.deliveries.length).toBeGreaterThan(0);
    expect(connectHook.deliveries.every((d) => d.event.account === account.id)).toBe(true);
    expect(connectHook.ofType('capability.updated')).toHaveLength(1);
    expect(
      connectHook
        .ofType('customer.created')
        .map((d) => (d.event.data.object as Stripe.Customer).email),
    ).toEqual(['connected@example.com']);
  });

  it('delivers to endpoints configured in-process, with their own secret', async () => {
    const hook = await receiver();
    const secret = 'whsec_configured_in_process';
    sandbox.webhooks.configure([{ url: hook.url, secret, connect: false }]);
    try {
      await stripe.customers.create({ email: 'inproc@example.com' });
      await clock.advance(0);
      const [delivery] = hook.ofType('customer.created');
      expect(stripe.webhooks.constructEvent(delivery.body, delivery.signature, secret).type).toBe(
        'customer.created',
      );
    } finally {
      sandbox.webhooks.configure([]);
    }
  });

  it('tells and advances its clock, over JSON or a form', async () => {
    const before = await clock.now();
    const after = await clock.advance(86_400);
    expect(after - before).toBeGreaterThanOrEqual(86_400);
    const form = await fetch(`${sandbox.url}/_sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'seconds=60',
    });
    expect(((await form.json()) as { now: number }).now).toBeGreaterThanOrEqual(after + 60);
    const bad = await fetch(`${sandbox.url}/_sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"seconds":-5}',
    });
    expect(bad.status).toBe(400);
    // Objects take the sandbox's time.
    const customer = await stripe.customers.create();
    expect(customer.created).toBeGreaterThanOrEqual(after + 60);
  });
});

describe('sandbox persistence', () => {
  let dir: string;
  beforeAll(async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(TEST_DATA_ROOT, { recursive: true }));
    dir = await mkdtemp(join(TEST_DATA_ROOT, 'sandbox-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps objects, events, idempotency keys, endpoints, pending retries and the clock across a restart', async () => {
    const stateFile = join(dir, 'state.jsonl');
    const hook = await new WebhookReceiver().start();
    hook.status = () => 500;
    const first = await StripeSandbox.start({ stateFile });
    const stripe = stripeFor(first);
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      external_account: 'btok_us',
    });
    await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['customer.created'] });
    const customer = await stripe.customers.create(
      { email: 'kept@example.com' },
      { idempotencyKey: 'persist-1' },
    );
    await first.advanceClock(1000);
    const now = first.clock.now();
    await first.close();
    expect(hook.deliveries).toHaveLength(1);

    const second = await StripeSandbox.start({ stateFile });
    try {
      const again = stripeFor(second);
      await expect(again.accounts.retrieve(account.id)).resolves.toMatchObject({
        id: account.id,
        external_accounts: { total_count: 1 },
      });
      const replay = await again.customers.create(
        { email: 'kept@example.com' },
        { idempotencyKey: 'persist-1' },
      );
      expect(replay.id).toBe(customer.id);
      expect((await again.customers.list({ email: 'kept@example.com' })).data).toHaveLength(1);
      expect(second.clock.now()).toBeGreaterThanOrEqual(now);
      expect(
        (await again.events.list({ type: 'customer.created' })).data.map(
          (e) => (e.data.object as Stripe.Customer).id,
        ),
      ).toContain(customer.id);
      // The retry scheduled before the restart still falls due.
      hook.status = () => 200;
      await second.advanceClock(WEBHOOK_RETRY_DELAYS[0]);
      expect(hook.deliveries).toHaveLength(2);
      expect(hook.deliveries[1].event.id).toBe(hook.deliveries[0].event.id);
    } finally {
      await second.close();
      await hook.close();
    }
  });
});
