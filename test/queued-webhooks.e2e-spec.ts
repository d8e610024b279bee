/**
 * Queued mode (`webhookProcessing: { mode: 'queued' }`): deliveries are answered once stored and enqueued;
 * workers (pg-boss on PostgreSQL) sync the mirror in batches, coalescing several snapshots of one object, and
 * run each listener of each event as its own job, retried alone and dead-lettered when it keeps failing. On
 * PGlite the mode is refused at start. No timing is asserted: every wait is a bounded poll on a condition.
 */
import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import request from 'supertest';
import { join } from 'node:path';
import { runCliWithStatus } from '../src/cli.js';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Account,
  EventProcessingError,
  OnStripeEvent,
  StripeEvent,
  WebhookQueueService,
  type StripeConnectEvent,
} from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { CapturingLogger } from './support/log-capture.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { createSeller, startSandbox } from './support/sandbox.js';
import { deliver, eventOf } from './support/stripe-events.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_queued_platform';
const CONNECT_SECRET = 'whsec_queued_connect';
const onPostgres = !!inject('testDatabaseRun').adminUrl;

/** Polls `check` until it holds (bounded: fails after `limitMs`). */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Listener calls, by listener and event. */
const calls: { listener: string; event: string; email?: string | null }[] = [];
/** Events whose `Flaky` listener fails once more (ids). */
const failOnce = new Set<string>();
/** While set, `Steady` waits for it before returning (a listener in flight). */
let gate: { reached: () => void; released: Promise<void> } | null = null;

@Injectable()
class Steady {
  @OnStripeEvent('account.updated')
  async onAccount({ event, account }: StripeConnectEvent<'account.updated'>): Promise<void> {
    calls.push({ listener: 'Steady', event: event.id, email: account?.email });
    if (gate) {
      gate.reached();
      await gate.released;
    }
  }
}

@Injectable()
class Flaky {
  @OnStripeEvent('account.updated')
  onAccount({ event }: StripeConnectEvent<'account.updated'>): void {
    calls.push({ listener: 'Flaky', event: event.id });
    if (failOnce.delete(event.id)) throw new Error('flaky listener failed this time');
  }
}

const callsOf = (listener: string, event: string) =>
  calls.filter((c) => c.listener === listener && c.event === event).length;

const QUEUED = {
  mode: 'queued' as const,
  retryLimit: 1,
  retryDelaySeconds: 1,
  pollIntervalMs: 100,
};

if (!onPostgres) {
  describe('queued mode on PGlite', () => {
    it('is refused at start with a message that says why', async () => {
      await expect(createTestApp({ webhookProcessing: { mode: 'queued' } })).rejects.toThrow(
        /webhookProcessing\.mode 'queued' needs PostgreSQL: this database is PGlite/,
      );
    });
  });
}

if (onPostgres) {
  describe('queued mode on PostgreSQL', () => {
    let postgres: PrivatePostgres;
    let sandbox: StripeSandbox;
    let stripe: Stripe;
    const apps: TestApp[] = [];

    const startApp = async (
      options: {
        workers?: boolean;
        logger?: CapturingLogger;
        retryDelaySeconds?: number;
        retryLimit?: number;
        batchSize?: number;
      } = {},
    ): Promise<TestApp> => {
      const t = await createTestApp({
        database: { kind: 'postgres', url: postgres.url },
        stripe: {
          kind: 'stripe',
          secretKey: 'sk_test_queued',
          apiBase: sandbox.url,
          webhookSecrets: [SECRET],
          connectWebhookSecrets: [CONNECT_SECRET],
        },
        providers: [Steady, Flaky],
        webhookProcessing: {
          ...QUEUED,
          workers: options.workers ?? true,
          retryDelaySeconds: options.retryDelaySeconds ?? QUEUED.retryDelaySeconds,
          retryLimit: options.retryLimit ?? QUEUED.retryLimit,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        },
        logger: options.logger,
      });
      apps.push(t);
      return t;
    };
    const send = (t: TestApp, event: Stripe.Event) =>
      deliver(t.app, CONNECT, event, CONNECT_SECRET).expect(200);
    const stored = (t: TestApp, id: string) =>
      t.app.get(DataSource).getRepository(StripeEvent).findOneBy({ id });
    const accountUpdate = (account: Stripe.Account, created: number, email: string) =>
      eventOf('account.updated', { ...account, email }, { account: account.id, created });

    beforeAll(async () => {
      postgres = await startPrivatePostgres();
      ({ sandbox, stripe } = await startSandbox());
    }, 120_000);
    afterAll(async () => {
      gate = null;
      for (const t of apps) await t.close().catch(() => undefined);
      await sandbox?.close();
      await postgres?.stop();
    });

    it('answers a delivery once stored, then a worker processes it', async () => {
      const t = await startApp();
      const seller = await createSeller(stripe);
      const event = accountUpdate(seller, Math.floor(Date.now() / 1000), 'queued@example.com');
      let reached!: () => void;
      const atListener = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      gate = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
      try {
        const answer = await send(t, event);
        expect(answer.body).toMatchObject({ received: true, id: event.id, outcome: 'queued' });
        // The listener holds the event in its worker: the delivery was answered before processing ended.
        await atListener;
        expect(await stored(t, event.id)).toMatchObject({ status: 'pending' });
      } finally {
        release();
        gate = null;
      }
      await until(
        'the event processed',
        async () => (await stored(t, event.id))?.status === 'processed',
      );
      expect(await stored(t, event.id)).toMatchObject({
        attempts: 1,
        pendingListeners: [],
        lastError: null,
      });
      expect(callsOf('Steady', event.id)).toBe(1);
      expect(callsOf('Flaky', event.id)).toBe(1);
      // Listeners read the committed mirror.
      expect(calls.find((c) => c.event === event.id && c.listener === 'Steady')?.email).toBe(
        'queued@example.com',
      );
      // A second delivery of the same event is a duplicate: stored once, processed once.
      const again = await send(t, event);
      expect(again.body.outcome).toBe('duplicate');
      await t.close();
    });
    it('coalesces several versions of one object into the newest; every event ends processed', async () => {
      // An instance that only stores deliveries: the versions wait in the queue together.
      const front = await startApp({ workers: false });
      const seller = await createSeller(stripe);
      const base = Math.floor(Date.now() / 1000) - 60;
      const versions = [0, 1, 2, 3, 4].map((v) =>
        accountUpdate(seller, base + v, `version-${v}@example.com`),
      );
      for (const event of [versions[2], versions[4], versions[0], versions[3], versions[1]])
        expect((await send(front, event)).body.outcome).toBe('queued');
      for (const event of versions)
        expect(await stored(front, event.id)).toMatchObject({ status: 'pending' });

      const logger = new CapturingLogger();
      const worker = await startApp({ logger });
      for (const event of versions)
        await until(
          `${event.id} processed`,
          async () => (await stored(worker, event.id))?.status === 'processed',
        );
      const row = await worker.app
        .get(DataSource)
        .getRepository(Account)
        .findOneByOrFail({ id: seller.id });
      expect(row.email).toBe('version-4@example.com');
      expect(logger.lines.map((l) => l.text)).toContainEqual(
        expect.stringMatching(/synced 5 event\(s\), 4 older snapshot\(s\) coalesced/),
      );
      // Listeners still see every event, once each.
      for (const event of versions) expect(callsOf('Steady', event.id)).toBe(1);
      await worker.close();
      await front.close();
    });

    it('retries a failing listener alone: the other listener ran once', async () => {
      const t = await startApp();
      const seller = await createSeller(stripe);
      const event = accountUpdate(seller, Math.floor(Date.now() / 1000), 'flaky@example.com');
      failOnce.add(event.id);
      await send(t, event);
      await until(
        'the event processed',
        async () => (await stored(t, event.id))?.status === 'processed',
      );
      expect(callsOf('Flaky', event.id)).toBe(2);
      expect(callsOf('Steady', event.id)).toBe(1);
      const errors = await t.app
        .get(DataSource)
        .getRepository(EventProcessingError)
        .findBy({ eventId: event.id });
      expect(errors.map((e) => e.message)).toEqual([
        'Flaky.onAccount: flaky listener failed this time',
      ]);
      expect(await stored(t, event.id)).toMatchObject({ lastError: null, pendingListeners: [] });
      await t.close();
    });

    it('dead-letters a poison event after its retries, and shows it', async () => {
      const t = await startApp();
      // A customer of an account Stripe does not know: the sync fails every time.
      const poison = eventOf(
        'customer.updated',
        { id: `cus_poison_${Date.now()}`, object: 'customer', email: 'p@example.com', created: 1 },
        { account: `acct_poison_${Date.now()}` },
      );
      const before = (await t.app.get(WebhookQueueService).queueHealth()).queues!.deadLettered;
      await send(t, poison);
      const health = await until('the dead letter', async () => {
        const now = await t.app.get(WebhookQueueService).queueHealth();
        return now.queues!.deadLettered > before && now.queues!.events.failed > 0 ? now : null;
      });
      expect(health.mode).toBe('queued');
      // The platform's back office sees it too.
      const route = await request(t.app.getHttpServer())
        .get('/connect/webhook-queue')
        .set('Authorization', `Bearer ${await t.token('ops', { platform: true })}`)
        .expect(200);
      expect(route.body.mode).toBe('queued');
      expect(route.body.queues.deadLettered).toBeGreaterThan(before);
      // And the command line (its own app context on the database, running no workers).
      const cli = await runCliWithStatus(['events:queue', '--json'], {
        DATABASE_URL: postgres.url,
        WEBHOOK_PROCESSING: 'queued',
        PGLITE_DIR: join(inject('testDatabaseRun').root, `queued-cli-${process.pid}`),
        AUTH_JWT_SECRET: 'x'.repeat(32),
        STRIPE_SECRET_KEY: 'sk_test_queued',
        STRIPE_API_BASE: sandbox.url,
        STRIPE_WEBHOOK_SECRET: SECRET,
        STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      });
      expect(cli.code).toBe(1); // dead letters waiting
      expect(JSON.parse(cli.output).queues.deadLettered).toBeGreaterThan(before);
      expect(route.body.queues.events).toMatchObject({
        failed: expect.any(Number),
        waiting: expect.any(Number),
      });
      const record = await stored(t, poison.id);
      expect(record).toMatchObject({ status: 'failed', attempts: 2 });
      expect(record!.lastError).toBeTruthy();
      const errors = await t.app
        .get(DataSource)
        .getRepository(EventProcessingError)
        .findBy({ eventId: poison.id });
      expect(errors).toHaveLength(2);
      await t.close();
    });

    it('puts a failed event back on the work list when Stripe delivers it again', async () => {
      // Retries an hour apart: only the redelivery can take the event again during this test.
      const t = await startApp({ retryDelaySeconds: 3600, retryLimit: 3 });
      const seller = await createSeller(stripe);
      const customer = {
        id: `cus_redelivered_${Date.now()}`,
        object: 'customer',
        email: 'back@example.com',
        created: 1,
      };
      const event = eventOf('customer.updated', customer, { account: seller.id });
      // The mirror lacks the customer's account and Stripe fails to answer for it: the sync fails.
      sandbox.injectFault({
        method: 'GET',
        path: `/v1/accounts/${seller.id}`,
        status: 500,
        count: 30,
      });
      expect((await send(t, event)).body.outcome).toBe('queued');
      await until('the sync failed', async () => (await stored(t, event.id))?.status === 'failed');
      const failed = await stored(t, event.id);
      expect(failed).toMatchObject({ syncedAt: null, processingOwner: null });
      // Its retry waits in pg-boss.
      const health = await t.app.get(WebhookQueueService).queueHealth();
      expect(health.queues!.events.retrying).toBeGreaterThan(0);
      // Stripe answers again (the faults left are used up) and redelivers the event: it is taken at once.
      await until('Stripe answering', () =>
        stripe.accounts.retrieve(seller.id).then(
          () => true,
          () => false,
        ),
      );
      expect((await send(t, event)).body.outcome).toBe('queued');
      await until(
        'the event processed',
        async () => (await stored(t, event.id))?.status === 'processed',
      );
      expect(await stored(t, event.id)).toMatchObject({
        attempts: failed!.attempts + 1,
        lastError: null,
      });
      const db = t.app.get(DataSource);
      expect(await db.getRepository(Account).existsBy({ id: seller.id })).toBe(true);
      // Processed: a further redelivery is a duplicate, and the waiting retry finds nothing to do.
      expect((await send(t, event)).body.outcome).toBe('duplicate');
      await t.close();
    });

    it('two instances: versions newest first, duplicated across both, each event synced once', async () => {
      // Two instances store; both process. Their batches meet on the same accounts.
      const [a, b] = [await startApp(), await startApp()];
      const sellers = await Promise.all([0, 1, 2].map(() => createSeller(stripe)));
      const base = Math.floor(Date.now() / 1000) - 100;
      const versions = sellers.flatMap((seller, s) =>
        [0, 1, 2, 3, 4, 5].map((v) =>
          accountUpdate(seller, base + v * 2, `two-${s}-v${v}@example.com`),
        ),
      );
      const newestFirst = [...versions].reverse();
      const answers = await Promise.all(
        newestFirst.flatMap((event, i) => [
          send(a, event),
          send(i % 2 ? a : b, event),
          send(b, event),
        ]),
      );
      expect(answers.filter((r) => r.body.outcome === 'queued')).toHaveLength(versions.length);
      for (const event of versions)
        await until(
          `${event.id} processed`,
          async () => (await stored(a, event.id))?.status === 'processed',
        );
      for (const event of versions) {
        expect(await stored(a, event.id)).toMatchObject({ attempts: 1, lastError: null });
        expect(callsOf('Steady', event.id)).toBe(1);
        expect(callsOf('Flaky', event.id)).toBe(1);
      }
      const db = a.app.get(DataSource);
      for (const [s, seller] of sellers.entries())
        expect((await db.getRepository(Account).findOneByOrFail({ id: seller.id })).email).toBe(
          `two-${s}-v5@example.com`,
        );
      await a.close();
      await b.close();
    });

    it('leaves an account another batch holds to it: its events wait on the work list, uncounted', async () => {
      const t = await startApp();
      const [held, free] = await Promise.all([createSeller(stripe), createSeller(stripe)]);
      const now = Math.floor(Date.now() / 1000);
      const heldEvent = accountUpdate(held, now, 'held@example.com');
      const freeEvent = accountUpdate(free, now, 'free@example.com');
      // Another batch (here a session of the test) holds the first account's lock.
      const session = t.app.get(DataSource).createQueryRunner();
      await session.connect();
      const lock = [17976, `account:${held.id}`];
      await session.query('SELECT pg_advisory_lock($1, hashtext($2))', lock);
      try {
        await send(t, heldEvent);
        await send(t, freeEvent);
        await until(
          'the free account processed',
          async () => (await stored(t, freeEvent.id))?.status === 'processed',
        );
        // Claimed, found held, given back, claimed again at each poll: it waits unsynced, and the attempts
        // given back are not counted (0 between claims, 1 while a claim is live).
        for (let i = 0; i < 10; i += 1) {
          const record = await stored(t, heldEvent.id);
          expect(record).toMatchObject({ status: 'pending', syncedAt: null });
          expect(record!.attempts).toBeLessThanOrEqual(1);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', lock);
        await session.release();
      }
      await until(
        'the held account processed once free',
        async () => (await stored(t, heldEvent.id))?.status === 'processed',
      );
      expect(await stored(t, heldEvent.id)).toMatchObject({ attempts: 1, lastError: null });
      expect(
        (await t.app.get(DataSource).getRepository(Account).findOneByOrFail({ id: held.id })).email,
      ).toBe('held@example.com');
      await t.close();
    });

    it('reaches the events behind a whole batch of an account another batch holds (no head-of-line wait)', async () => {
      const t = await startApp({ batchSize: 3 });
      const [held, free] = await Promise.all([createSeller(stripe), createSeller(stripe)]);
      const now = Math.floor(Date.now() / 1000);
      // More of the held account's events than both workers' batches take, all older than the free account's.
      const heldEvents = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
        accountUpdate(held, now - 10 + i, `held${i}@example.com`),
      );
      const freeEvent = accountUpdate(free, now, 'free@example.com');
      const session = t.app.get(DataSource).createQueryRunner();
      await session.connect();
      const lock = [17976, `account:${held.id}`];
      await session.query('SELECT pg_advisory_lock($1, hashtext($2))', lock);
      try {
        for (const event of heldEvents) await send(t, event);
        await send(t, freeEvent);
        await until(
          'the free account processed while the held one is busy',
          async () => (await stored(t, freeEvent.id))?.status === 'processed',
          10_000,
        );
        expect(await stored(t, heldEvents[0].id)).toMatchObject({
          status: 'pending',
          syncedAt: null,
        });
      } finally {
        await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', lock);
        await session.release();
      }
      await until('the held account processed once free', async () => {
        const records = await Promise.all(heldEvents.map((event) => stored(t, event.id)));
        return records.every((record) => record?.status === 'processed');
      });
      expect(
        (await t.app.get(DataSource).getRepository(Account).findOneByOrFail({ id: held.id })).email,
      ).toBe('held7@example.com');
      await t.close();
    }, 60_000);

    it('loses nothing when an instance stops with jobs in flight', async () => {
      const first = await startApp();
      const sellers = await Promise.all([0, 1, 2].map(() => createSeller(stripe)));
      const now = Math.floor(Date.now() / 1000);
      const events = sellers.map((seller, i) =>
        accountUpdate(seller, now, `stop-${i}@example.com`),
      );
      let reached!: () => void;
      const atListener = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      gate = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
      for (const event of events) await send(first, event);
      // A listener job is running on the first instance: it stops now.
      await atListener;
      const stopping = first.close();
      gate = null;
      release();
      await stopping;

      const second = await startApp();
      for (const event of events)
        await until(
          `${event.id} processed`,
          async () => (await stored(second, event.id))?.status === 'processed',
        );
      for (const event of events) {
        expect(callsOf('Steady', event.id)).toBe(1);
        expect(callsOf('Flaky', event.id)).toBe(1);
      }
      const health = await second.app.get(WebhookQueueService).queueHealth();
      expect(health.queues!.events).toMatchObject({ active: 0, stuck: 0 });
      expect(health.queues!.listeners).toMatchObject({ active: 0, stuck: 0 });
      await second.close();
    });
  });
}
