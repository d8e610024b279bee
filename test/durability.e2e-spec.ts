/**
 * The database goes away in the middle of a load of deliveries (a PostgreSQL of this file's own, stopped at
 * once as in a crash, then started again). Deliveries that could not finish answer 5xx; Stripe redelivers
 * them; afterwards nothing is lost (every event processed, the mirror equal to Stripe) and nothing is
 * processed twice (an event recorded processed is never run again; listeners run again only for an event whose
 * completion could not be recorded: they are at-least-once).
 */
import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Account,
  OnStripeEvent,
  StripeEvent,
  type StripeConnectEvent,
} from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { capturedEvents } from './support/sandbox-events.js';
import { startSandbox } from './support/sandbox.js';
import { deliver } from './support/stripe-events.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_durability_platform';
const CONNECT_SECRET = 'whsec_durability_connect';

const calls: string[] = [];

@Injectable()
class RecordingListener {
  @OnStripeEvent('**')
  onEvent({ event }: StripeConnectEvent): void {
    calls.push(event.id);
  }
}

describe('a database restart during a load, then redelivery', () => {
  let postgres: PrivatePostgres;
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let t: TestApp;
  let events: Stripe.Event[] = [];
  const accounts: string[] = [];

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    ({ sandbox, stripe } = await startSandbox());
    t = await createTestApp({
      database: { kind: 'postgres', url: postgres.url },
      stripe: {
        kind: 'stripe',
        secretKey: 'sk_test_durability',
        apiBase: sandbox.url,
        webhookSecrets: [SECRET],
        connectWebhookSecrets: [CONNECT_SECRET],
      },
      providers: [RecordingListener],
    });
    for (let i = 0; i < 10; i += 1) {
      const seller = await stripe.accounts.create({
        type: 'custom',
        country: 'US',
        email: `durable-${i}@example.com`,
        external_account: 'btok_us',
      });
      accounts.push(seller.id);
      for (let j = 0; j < 4; j += 1)
        await stripe.accounts.update(seller.id, { metadata: { version: String(j) } });
    }
    events = await capturedEvents(stripe, accounts);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    await postgres?.stop();
  });

  const send = (event: Stripe.Event) =>
    deliver(
      t.app,
      event.account ? CONNECT : PLATFORM,
      event,
      event.account ? CONNECT_SECRET : SECRET,
    ).then(
      (response) => response.status,
      () => 0,
    );

  it('loses nothing and processes nothing twice', async () => {
    expect(events.length).toBeGreaterThan(40);
    // The load, ten at a time; the database stops at once a third of the way in, and comes back.
    const first: number[] = [];
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < events.length; i += 10) {
      if (!restarted && i >= events.length / 3) restarted = postgres.restart();
      first.push(...(await Promise.all(events.slice(i, i + 10).map(send))));
    }
    await restarted;
    expect(first.filter((status) => status !== 200).length).toBeGreaterThan(0);

    const db = t.app.get(DataSource);
    // Wait for the pool to reconnect.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await db.query('SELECT 1');
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const processedBefore = new Set(
      (await db.getRepository(StripeEvent).findBy({ status: 'processed' })).map((e) => e.id),
    );
    const callsBefore = new Map<string, number>();
    for (const id of calls) callsBefore.set(id, (callsBefore.get(id) ?? 0) + 1);
    // Claims whose owner lost the database keep their lease until it expires: let that time pass.
    await db.query(
      `UPDATE stripe_events SET processing_started_at = now() - interval '1 hour'
       WHERE status <> 'processed' AND processing_started_at IS NOT NULL`,
    );

    // Stripe redelivers every delivery that did not get a 2xx (here: every event, duplicates included).
    const second = await Promise.all(events.map(send));
    expect(second.filter((status) => status !== 200)).toEqual([]);

    const stored = await db.getRepository(StripeEvent).find();
    expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(stored.filter((e) => e.status !== 'processed')).toEqual([]);
    const callsAfter = new Map<string, number>();
    for (const id of calls) callsAfter.set(id, (callsAfter.get(id) ?? 0) + 1);
    for (const event of events) {
      // Recorded processed before: never run again. Otherwise: run to completion once more at most.
      if (processedBefore.has(event.id))
        expect(callsAfter.get(event.id), event.id).toBe(callsBefore.get(event.id));
      else
        expect(callsAfter.get(event.id) ?? 0, event.id).toBe((callsBefore.get(event.id) ?? 0) + 1);
    }
    for (const id of accounts) {
      const remote = await stripe.accounts.retrieve(id);
      expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
        email: remote.email,
        metadata: remote.metadata,
      });
    }
  });
});
