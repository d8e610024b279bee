/**
 * Part one: the app's process is killed (SIGKILL) in the middle of a load of deliveries, and a new one
 * started; part two: the database goes away in the middle of a load of deliveries (a PostgreSQL of this file's own, stopped at
 * once as in a crash, then started again). Deliveries that could not finish answer 5xx; Stripe redelivers
 * them; afterwards nothing is lost (every event processed, the mirror equal to Stripe) and nothing is
 * processed twice (an event recorded processed is never run again; listeners run again only for an event whose
 * completion could not be recorded: they are at-least-once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Account,
  OnStripeEvent,
  StripeEvent,
  stripeConnectEntities,
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
const signer = new Stripe('sk_test_signer');

async function sparePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The host app in a process of its own (`src/main.ts`, compiled by SWC as the tests are), ready to serve. */
async function startAppProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', './test/support/swc-register.mjs', 'src/main.ts'],
    { env: { ...process.env, ...env }, stdio: 'ignore' },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${env.PORT}/health`);
      if (response.status < 500) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the app did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A signed delivery over real HTTP; 0 when the connection failed (the process died). */
async function post(port: number, event: Stripe.Event): Promise<number> {
  const payload = JSON.stringify(event);
  const secret = event.account ? CONNECT_SECRET : SECRET;
  try {
    const response = await fetch(`http://127.0.0.1:${port}${event.account ? CONNECT : PLATFORM}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Stripe-Signature': signer.webhooks.generateTestHeaderString({ payload, secret }),
      },
      body: payload,
    });
    return response.status;
  } catch {
    return 0;
  }
}

@Injectable()
class RecordingListener {
  @OnStripeEvent('**')
  onEvent({ event }: StripeConnectEvent): void {
    calls.push(event.id);
  }
}

describe('a killed process or a database restart during a load, then redelivery', () => {
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

  it('a killed process: loses nothing and runs nothing recorded processed again', async () => {
    const database = await startPrivatePostgres();
    const port = await sparePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: database.url,
      STRIPE_SECRET_KEY: 'sk_test_killed',
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      AUTH_JWT_SECRET: 'a-secret-of-the-killed-process-test-0123456789',
    };
    let child = await startAppProcess(env);
    try {
      const first: number[] = [];
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10).map((event) => post(port, event));
        if (i >= events.length / 3 && child.exitCode === null && !child.killed)
          child.kill('SIGKILL');
        first.push(...(await Promise.all(batch)));
      }
      expect(first.filter((status) => status !== 200).length).toBeGreaterThan(0);
      child = await startAppProcess(env);
      const db = new DataSource({
        type: 'postgres',
        url: database.url,
        entities: stripeConnectEntities,
      });
      await db.initialize();
      try {
        const processedBefore = new Map(
          (await db.getRepository(StripeEvent).findBy({ status: 'processed' })).map((e) => [
            e.id,
            e.attempts,
          ]),
        );
        // Claims of the killed process keep their lease until it expires: let that time pass.
        await db.query(
          `UPDATE stripe_events SET processing_started_at = now() - interval '1 hour'
           WHERE status <> 'processed' AND processing_started_at IS NOT NULL`,
        );
        const second = await Promise.all(events.map((event) => post(port, event)));
        expect(second.filter((status) => status !== 200)).toEqual([]);
        const stored = await db.getRepository(StripeEvent).find();
        expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
        expect(stored.filter((e) => e.status !== 'processed')).toEqual([]);
        for (const event of stored)
          if (processedBefore.has(event.id))
            expect(event.attempts, event.id).toBe(processedBefore.get(event.id));
        for (const id of accounts) {
          const remote = await stripe.accounts.retrieve(id);
          const [row] = await db.query<{ email: string; metadata: Record<string, string> }[]>(
            'SELECT email, metadata FROM stripe_accounts WHERE id = $1',
            [id],
          );
          expect(row).toEqual({ email: remote.email, metadata: remote.metadata });
        }
      } finally {
        await db.destroy();
      }
    } finally {
      child.kill('SIGKILL');
      await database.stop();
    }
  }, 120_000);

  it('a database restart: loses nothing and processes nothing twice', async () => {
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
