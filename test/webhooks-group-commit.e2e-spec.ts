/**
 * Group commit on the webhook path: several claimed events processed in one transaction by
 * `EventBatchProcessor` (the batches made deterministic by handing it the claimed events directly), and
 * concurrent deliveries over HTTP each answered with its own outcome, on this run's database and a standalone
 * sandbox as Stripe.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Account,
  Customer,
  EventBatchProcessor,
  EventProcessingError,
  OnStripeEvent,
  StripeEvent,
  type StripeConnectEvent,
} from '../src/stripe-connect/index.js';
import { StripeEventsRepository } from '../src/stripe-connect/webhooks/stripe-events.repository.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { startSandbox } from './support/sandbox.js';
import { deliver, eventOf } from './support/stripe-events.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const CONNECT = '/stripe/webhooks/connect';
const PLATFORM = '/stripe/webhooks';
const SECRET = 'whsec_group_commit';

/** What `account.updated` listeners saw of the database when they ran; fails for the ids it is told. */
@Injectable()
class Witness {
  seen: { eventId: string; syncedAt: Date | null; email: string | null }[] = [];
  failFor = new Set<string>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @OnStripeEvent('account.updated')
  async onAccountUpdated({ event, object }: StripeConnectEvent<'account.updated'>): Promise<void> {
    // Read outside any transaction: only committed rows are visible (on PGlite's one connection a read
    // inside the batch's transaction would not even get its turn).
    const stored = await this.db.getRepository(StripeEvent).findOneBy({ id: event.id });
    const account = await this.db.getRepository(Account).findOneBy({ id: object.id });
    this.seen.push({
      eventId: event.id,
      syncedAt: stored?.syncedAt ?? null,
      email: account?.email ?? null,
    });
    if (this.failFor.has(event.id)) throw new Error('listener failed on purpose');
  }
}

describe('webhooks: group commit', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let t: TestApp;
  let db: DataSource;
  let witness: Witness;
  let processor: EventBatchProcessor;
  let events: StripeEventsRepository;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    t = await createTestApp({
      stripe: {
        kind: 'stripe',
        secretKey: 'sk_test_group_commit',
        apiBase: sandbox.url,
        webhookSecrets: [SECRET],
        connectWebhookSecrets: [SECRET],
      },
      providers: [Witness],
    });
    db = t.app.get(DataSource);
    witness = t.app.get(Witness);
    processor = t.app.get(EventBatchProcessor);
    events = t.app.get(StripeEventsRepository);
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });
  beforeEach(() => {
    witness.seen = [];
    witness.failFor = new Set();
  });

  const stored = (id: string) => db.getRepository(StripeEvent).findOneBy({ id });
  const customAccount = (email: string) =>
    stripe.accounts.create({ type: 'custom', country: 'US', email });
  const customerOf = (id: string, email: string) =>
    ({ id, object: 'customer', email, livemode: false, currency: 'usd' }) as Stripe.Customer;

  /** Stores and claims the events in one statement, as the endpoints' group commit does, then runs them as one batch. */
  async function runBatch(batch: Stripe.Event[]) {
    const claimed = await events.insertAndClaimMany(
      batch.map((event, index) => ({ event, owner: `owner-${index}-${event.id}` })),
    );
    const members = batch.map((event) => claimed.get(event.id)!);
    const answers = await processor.processBatch(members);
    return Promise.all(answers);
  }

  it('isolates a failing event: it alone ends failed with its error, the others of its batch are processed', async () => {
    const accounts = await Promise.all(['a@example.com', 'b@example.com'].map(customAccount));
    const batch = [
      eventOf('account.updated', accounts[0], { account: accounts[0].id }),
      // A customer of an account Stripe does not know: its foreign key fails, and fetching the account too.
      eventOf('customer.updated', customerOf('cus_group_orphan', 'orphan@example.com'), {
        account: 'acct_group_commit_unknown',
      }),
      eventOf('account.updated', accounts[1], { account: accounts[1].id }),
      eventOf('customer.updated', customerOf('cus_group_platform', 'platform@example.com')),
    ];

    expect(await runBatch(batch)).toEqual(['processed', 'failed', 'processed', 'processed']);

    const failed = batch[1];
    expect(await stored(failed.id)).toMatchObject({
      status: 'failed',
      processingOwner: null,
      syncedAt: null,
    });
    expect(
      await db.getRepository(EventProcessingError).countBy({ eventId: failed.id }),
    ).toBeGreaterThan(0);
    expect(await db.getRepository(Customer).findOneBy({ id: 'cus_group_orphan' })).toBeNull();
    for (const event of [batch[0], batch[2], batch[3]]) {
      expect(await stored(event.id)).toMatchObject({ status: 'processed', processingOwner: null });
      expect(await db.getRepository(EventProcessingError).countBy({ eventId: event.id })).toBe(0);
    }
    expect(
      (await db.getRepository(Account).findBy({ id: accounts[1].id })).map((a) => a.email),
    ).toEqual(['b@example.com']);
    expect(await db.getRepository(Customer).findOneBy({ id: 'cus_group_platform' })).toMatchObject({
      email: 'platform@example.com',
      accountId: null,
    });
  });

  it('claims and processes an event given twice in one batch once; the repeat answers duplicate', async () => {
    const event = eventOf('customer.updated', customerOf('cus_group_twice', 'twice@example.com'));
    const claimed = await events.insertAndClaimMany([
      { event, owner: 'first' },
      { event, owner: 'second' },
    ]);
    expect([...claimed.values()].map((c) => c.owner)).toEqual(['first']);
    const member = claimed.get(event.id)!;
    const answers = await Promise.all(await processor.processBatch([member, member]));

    expect(answers).toEqual(['processed', 'duplicate']);
    expect(await stored(event.id)).toMatchObject({ status: 'processed', attempts: 1 });
    // A later claim of the processed event gets nothing.
    expect((await events.insertAndClaimMany([{ event, owner: 'third' }])).size).toBe(0);
  });

  it('writes the newest of several versions of one object delivered newest first in one batch; every event is processed', async () => {
    const base = Math.floor(Date.now() / 1000) - 600;
    const account = await customAccount('v0@example.com');
    const versions = [3, 2, 1].map((v) =>
      eventOf(
        'account.updated',
        { ...account, email: `v${v}@example.com` },
        { account: account.id, created: base + v * 10 },
      ),
    );
    const customers = [3, 2, 1].map((v) =>
      eventOf('customer.updated', customerOf('cus_group_versions', `v${v}@example.com`), {
        created: base + v * 10,
      }),
    );

    expect(await runBatch([...versions, ...customers])).toEqual(Array(6).fill('processed'));

    const row = await db.getRepository(Account).findOneByOrFail({ id: account.id });
    expect(row.email).toBe('v3@example.com');
    expect(row.snapshotAt).toEqual(new Date((base + 30) * 1000));
    expect(
      (await db.getRepository(Customer).findOneByOrFail({ id: 'cus_group_versions' })).email,
    ).toBe('v3@example.com');
    for (const event of [...versions, ...customers])
      expect(await stored(event.id)).toMatchObject({ status: 'processed' });
    // A version older than the row, in a later batch, leaves the row alone and is processed.
    const older = eventOf(
      'account.updated',
      { ...account, email: 'v-old@example.com' },
      { account: account.id, created: base },
    );
    expect(await runBatch([older])).toEqual(['processed']);
    expect((await db.getRepository(Account).findOneByOrFail({ id: account.id })).email).toBe(
      'v3@example.com',
    );
  });

  it('settles two states of one object of the same second in a batch with Stripe, one by one', async () => {
    const account = await customAccount('current@example.com');
    const created = Math.floor(Date.now() / 1000) - 60;
    const batch = ['tie-a@example.com', 'tie-b@example.com'].map((email) =>
      eventOf('account.updated', { ...account, email }, { account: account.id, created }),
    );

    expect(await runBatch(batch)).toEqual(['processed', 'processed']);
    // Neither event's state could be told newer: the row holds Stripe's current one.
    expect((await db.getRepository(Account).findOneByOrFail({ id: account.id })).email).toBe(
      'current@example.com',
    );
  });

  it('runs listeners per event after the batch committed; a failing listener fails its event alone', async () => {
    const accounts = await Promise.all(
      ['l1@example.com', 'l2@example.com', 'l3@example.com'].map(customAccount),
    );
    const batch = accounts.map((account) =>
      eventOf('account.updated', account, { account: account.id }),
    );
    witness.failFor.add(batch[1].id);

    expect(await runBatch(batch)).toEqual(['processed', 'failed', 'processed']);

    expect(witness.seen.map((s) => s.eventId).sort()).toEqual(batch.map((e) => e.id).sort());
    for (const [index, event] of batch.entries()) {
      const seen = witness.seen.find((s) => s.eventId === event.id)!;
      // The sync had committed when the listener ran: the event's sync time and the account's state were visible.
      expect(seen.syncedAt).toBeInstanceOf(Date);
      expect(seen.email).toBe(accounts[index].email);
    }
    expect(await stored(batch[0].id)).toMatchObject({ status: 'processed' });
    expect(await stored(batch[1].id)).toMatchObject({
      status: 'failed',
      lastError: 'listener failed on purpose',
    });
    expect(await stored(batch[2].id)).toMatchObject({ status: 'processed' });

    // Redelivered, the failed event runs its listener again and is processed.
    witness.failFor.clear();
    const again = await deliver(t.app, CONNECT, batch[1], SECRET).expect(200);
    expect(again.body).toEqual({ received: true, id: batch[1].id, outcome: 'processed' });
  });

  it('claims inside the group transaction: a failing event alone ends failed, a processed one is not claimed again', async () => {
    const done = eventOf('customer.updated', customerOf('cus_group_done', 'done@example.com'));
    expect(await runBatch([done])).toEqual(['processed']);
    const fine = eventOf('customer.updated', customerOf('cus_group_fine', 'fine@example.com'));
    const orphan = eventOf('customer.updated', customerOf('cus_group_orphan2', 'o@example.com'), {
      account: 'acct_group_receive_unknown',
    });

    const answers = await Promise.all(await processor.receiveBatch([fine, orphan, done, fine]));

    expect(answers).toEqual(['processed', 'failed', null, 'duplicate']);
    expect(await stored(fine.id)).toMatchObject({ status: 'processed', attempts: 1 });
    expect(await stored(orphan.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await stored(done.id)).toMatchObject({ status: 'processed', attempts: 1 });
    expect((await db.getRepository(Customer).findOneByOrFail({ id: 'cus_group_fine' })).email).toBe(
      'fine@example.com',
    );

    // Without a failing member, the group commits as one: every event stored, claimed and processed.
    const group = [1, 2, 3].map((i) =>
      eventOf('customer.updated', customerOf(`cus_group_receive_${i}`, `r${i}@example.com`)),
    );
    expect(await Promise.all(await processor.receiveBatch(group))).toEqual(
      Array(3).fill('processed'),
    );
    for (const event of group) {
      // Without listeners the event is stored in its final state, in the transaction of its sync.
      const row = await stored(event.id);
      expect(row).toMatchObject({
        status: 'processed',
        attempts: 1,
        processingOwner: null,
        processingStartedAt: null,
        lastError: null,
      });
      expect(row!.syncedAt).toEqual(row!.processedAt);
    }

    // The failed one, redelivered once its account exists, is claimed again and written processed.
    await db
      .getRepository(Account)
      .insert({ id: 'acct_group_receive_unknown', livemode: false, type: 'custom' });
    expect(await Promise.all(await processor.receiveBatch([orphan, group[0]]))).toEqual([
      'processed',
      null,
    ]);
    expect(await stored(orphan.id)).toMatchObject({
      status: 'processed',
      attempts: 2,
      lastError: null,
      processingOwner: null,
    });
  });

  it('keeps the edges of the webhook routes on the lean path: body limit, bad JSON, query strings, other methods', async () => {
    const big = eventOf('customer.updated', {
      ...customerOf('cus_group_big', 'big@example.com'),
      description: 'x'.repeat(200_000),
    });
    const tooLarge = await deliver(t.app, PLATFORM, big, SECRET).expect(413);
    expect(tooLarge.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
    expect(await stored(big.id)).toBeNull();

    const invalid = await deliver(t.app, PLATFORM, '{"id": "evt_1",', SECRET).expect(400);
    expect(invalid.body).toMatchObject({ statusCode: 400 });

    const event = eventOf('customer.updated', customerOf('cus_group_query', 'query@example.com'));
    const signed = deliver(t.app, PLATFORM, event, SECRET);
    signed.url = `${signed.url}?source=test`;
    const answered = await signed.expect(200);
    expect(answered.body).toEqual({ received: true, id: event.id, outcome: 'processed' });

    const wrongMethod = await request(t.app.getHttpServer()).get(PLATFORM).expect(404);
    expect(wrongMethod.body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('answers each of many concurrent deliveries with its own outcome', async () => {
    const customers = Array.from({ length: 16 }, (_, i) =>
      eventOf('customer.updated', customerOf(`cus_group_http_${i}`, `http${i}@example.com`)),
    );
    const orphan = eventOf(
      'customer.updated',
      customerOf('cus_group_http_orphan', 'o@example.com'),
      {
        account: 'acct_group_http_unknown',
      },
    );
    const deliveries = [...customers, orphan, customers[0], customers[1]];

    const responses = await Promise.all(
      deliveries.map((event) => deliver(t.app, event.account ? CONNECT : PLATFORM, event, SECRET)),
    );

    const orphanAnswer = responses[16];
    expect(orphanAnswer.status).toBe(500);
    expect(orphanAnswer.body).toMatchObject({ code: 'event_processing_failed' });
    expect(orphanAnswer.body.message).toContain(orphan.id);
    for (const [index, response] of responses.entries()) {
      if (index === 16) continue;
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(deliveries[index].id);
    }
    // Each event is processed by one delivery; its repeat answers duplicate.
    for (const event of customers.slice(0, 2)) {
      const outcomes = responses
        .filter((r) => r.body.id === event.id)
        .map((r) => r.body.outcome as string)
        .sort();
      expect(outcomes).toEqual(['duplicate', 'processed']);
    }
    for (const event of customers.slice(2)) {
      expect(responses.find((r) => r.body.id === event.id)!.body.outcome).toBe('processed');
    }
    for (const [i, event] of customers.entries()) {
      expect(await stored(event.id)).toMatchObject({ status: 'processed', attempts: 1 });
      expect(
        (await db.getRepository(Customer).findOneByOrFail({ id: `cus_group_http_${i}` })).email,
      ).toBe(`http${i}@example.com`);
    }
    expect(await stored(orphan.id)).toMatchObject({ status: 'failed' });
  });
});
