/**
 * Queued mode (`webhookProcessing: { mode: 'queued' }`): deliveries are answered once stored and enqueued;
 * workers (pg-boss on PostgreSQL) sync the mirror in batches, coalescing several snapshots of one object, and
 * run each listener of each event as its own job, retried alone and dead-lettered when it keeps failing. On
 * PGlite the mode is refused at start. No timing is asserted: every wait is a bounded poll on a condition.
 */
import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  OnStripeEvent,
  StripeEvent,
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
      options: { workers?: boolean; logger?: CapturingLogger } = {},
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
        webhookProcessing: { ...QUEUED, workers: options.workers ?? true },
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
  });
}
