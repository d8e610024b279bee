/**
 * Several instances of the app on one PostgreSQL (a server of this file's own): the same deliveries sent to
 * all of them at once, with duplicates. Each event is processed once, its listeners run once, and the mirror
 * ends at Stripe's newest state. Claims belong to their owner: an expired one is taken over cleanly.
 */
import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Account,
  Charge,
  OnStripeEvent,
  StripeEvent,
  type StripeConnectEvent,
} from '../src/stripe-connect/index.js';
import { StripeEventsRepository } from '../src/stripe-connect/webhooks/stripe-events.repository.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { capturedEvents } from './support/sandbox-events.js';
import { startSandbox } from './support/sandbox.js';
import { deliver } from './support/stripe-events.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_instances_platform';
const CONNECT_SECRET = 'whsec_instances_connect';
const INSTANCES = 3;
/** Inline in every run; queued (pg-boss workers on every instance) in the PostgreSQL run. */
const MODES: ('inline' | 'queued')[] = inject('testDatabaseRun').adminUrl
  ? ['inline', 'queued']
  : ['inline'];

/** Listener calls of every instance, by event id (emptied before each mode). */
const calls: { instance: string; event: string }[] = [];

/** Queued mode: every stored event processed by the workers (bounded wait). */
async function processedByWorkers(db: DataSource, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await db.getRepository(StripeEvent).find({ select: { id: true, status: true } });
    if (rows.length >= count && rows.every((row) => row.status !== 'pending')) return;
    if (Date.now() > deadline)
      throw new Error(
        `${rows.filter((r) => r.status === 'pending').length} event(s) still pending`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

@Injectable()
class CountingListener {
  static instance = 0;
  readonly name = `instance-${(CountingListener.instance += 1)}`;

  @OnStripeEvent('**')
  onEvent({ event }: StripeConnectEvent): void {
    calls.push({ instance: this.name, event: event.id });
  }
}

for (const mode of MODES)
  describe(`any number of instances on one PostgreSQL, ${mode}`, () => {
    let postgres: PrivatePostgres;
    let sandbox: StripeSandbox;
    let stripe: Stripe;
    const apps: TestApp[] = [];
    let events: Stripe.Event[] = [];
    const accounts: string[] = [];
    const intents: string[] = [];

    beforeAll(async () => {
      calls.length = 0;
      postgres = await startPrivatePostgres();
      ({ sandbox, stripe } = await startSandbox());
      for (let i = 0; i < INSTANCES; i += 1) {
        apps.push(
          await createTestApp({
            database: { kind: 'postgres', url: postgres.url },
            stripe: {
              kind: 'stripe',
              secretKey: 'sk_test_instances',
              apiBase: sandbox.url,
              webhookSecrets: [SECRET],
              connectWebhookSecrets: [CONNECT_SECRET],
            },
            providers: [CountingListener],
            webhookProcessing: { mode, pollIntervalMs: 50 },
          }),
        );
      }
      // Real work in the sandbox: sellers changed several times, charges captured and refunded.
      for (let i = 0; i < 4; i += 1) {
        const seller = await stripe.accounts.create({
          type: 'custom',
          country: 'US',
          email: `seller-${i}@example.com`,
          external_account: 'btok_us',
        });
        accounts.push(seller.id);
        for (let j = 0; j < 3; j += 1)
          await stripe.accounts.update(seller.id, {
            email: `seller-${i}-v${j}@example.com`,
            metadata: { version: String(j) },
          });
        const intent = await stripe.paymentIntents.create({
          amount: 4_000 + i,
          currency: 'usd',
          payment_method: 'pm_card_bypassPending',
          confirm: true,
          capture_method: 'manual',
          transfer_data: { destination: seller.id },
        });
        await stripe.paymentIntents.capture(intent.id);
        await stripe.refunds.create({ payment_intent: intent.id, amount: 1_000 });
        intents.push(intent.id);
      }
      events = await capturedEvents(stripe, accounts);
    }, 120_000);
    afterAll(async () => {
      for (const t of apps) await t.close();
      await sandbox?.close();
      await postgres?.stop();
    });

    const send = (t: TestApp, event: Stripe.Event) =>
      deliver(
        t.app,
        event.account ? CONNECT : PLATFORM,
        event,
        event.account ? CONNECT_SECRET : SECRET,
      );

    it('processes each event once, runs its listeners once, and ends at the newest state', async () => {
      expect(events.length).toBeGreaterThan(30);
      // Every event to every instance, and a second copy of every other one: all at once.
      const deliveries = events.flatMap((event, index) => [
        ...apps.map((t) => () => send(t, event)),
        ...(index % 2 === 0 ? [() => send(apps[index % INSTANCES], event)] : []),
      ]);
      const statuses = await Promise.all(deliveries.map(async (make) => (await make()).status));
      const db = apps[0].app.get(DataSource);
      if (mode === 'queued') await processedByWorkers(db, events.length);
      const errors = await db.query(`SELECT event_id, message FROM stripe_event_processing_errors`);
      expect(errors).toEqual([]);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const stored = await db.getRepository(StripeEvent).find();
      expect(stored).toHaveLength(events.length);
      expect(stored.filter((e) => e.status !== 'processed' || e.attempts !== 1)).toEqual([]);
      const perEvent = new Map<string, number>();
      for (const call of calls) perEvent.set(call.event, (perEvent.get(call.event) ?? 0) + 1);
      expect(events.filter((event) => perEvent.get(event.id) !== 1)).toEqual([]);
      // Several instances did the work.
      expect(new Set(calls.map((call) => call.instance)).size).toBeGreaterThan(1);
      // No transaction waited in a cycle: every path locks events before objects, and the rows of each table
      // in one id order (a deadlock's victim is retried, so only the server's log tells).
      expect(await postgres.deadlocks()).toBe(0);

      for (const id of accounts) {
        const remote = await stripe.accounts.retrieve(id);
        expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
          email: remote.email,
          metadata: remote.metadata,
        });
      }
      for (const id of intents) {
        const intent = await stripe.paymentIntents.retrieve(id);
        const charge = await stripe.charges.retrieve(intent.latest_charge as string);
        expect(await db.getRepository(Charge).findOneByOrFail({ id })).toMatchObject({
          status: intent.status,
          amountCaptured: charge.amount_captured,
          amountRefunded: charge.amount_refunded,
        });
      }
    });

    // The claims serve both modes (queued workers claim too): checked once, with the inline instances.
    if (mode === 'inline')
      it('lets only the owner complete a claim, and takes an expired one over', async () => {
        const [first, second] = apps.map((t) => t.app.get(StripeEventsRepository));
        const db = apps[0].app.get(DataSource);
        const event = { ...events[0], id: `evt_claims_${Date.now()}` } as Stripe.Event;
        await first.insertOnce(event);
        expect(await first.claim(event.id, 'owner-a')).toBe(true);
        expect(await second.claim(event.id, 'owner-b')).toBe(false);
        expect(await first.renew(event.id, 'owner-a')).toBe(true);
        expect(await second.renew(event.id, 'owner-b')).toBe(false);
        // The lease of owner-a runs out (a crashed process): owner-b takes it over.
        await db.query(
          `UPDATE stripe_events SET processing_started_at = now() - interval '1 hour' WHERE id = $1`,
          [event.id],
        );
        expect(await second.claim(event.id, 'owner-b')).toBe(true);
        // owner-a comes back late: it can neither complete nor fail what it no longer holds.
        expect(await first.markProcessed(event.id, 'owner-a')).toBe(false);
        await first.markFailed(event.id, 'owner-a', new Error('late'));
        expect(await db.getRepository(StripeEvent).findOneByOrFail({ id: event.id })).toMatchObject(
          {
            status: 'pending',
            processingOwner: 'owner-b',
            attempts: 2,
          },
        );
        expect(await second.markProcessed(event.id, 'owner-b')).toBe(true);
        expect(await db.getRepository(StripeEvent).findOneByOrFail({ id: event.id })).toMatchObject(
          {
            status: 'processed',
            processingOwner: null,
            processingStartedAt: null,
          },
        );
      });
  });
