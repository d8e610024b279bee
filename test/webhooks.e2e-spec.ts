/**
 * The webhook path end to end: real signatures (generateTestHeaderString), the real app on this run's
 * database, and a standalone sandbox as Stripe for the re-fetches.
 */
import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Account,
  EventProcessingError,
  ExternalAccount,
  OnStripeEvent,
  Payout,
  StripeEvent,
  WebhooksService,
  type StripeConnectEvent,
} from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { startSandbox } from './support/sandbox.js';
import { deliver, eventOf, payoutOf } from './support/stripe-events.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRETS = {
  current: 'whsec_platform_current',
  rotated: 'whsec_platform_next',
  connect: 'whsec_connect_only',
};

/** Records what listeners saw; can be told to fail. */
@Injectable()
class Probe {
  calls: { pattern: string; event: StripeConnectEvent }[] = [];
  failNext = 0;

  @OnStripeEvent('account.updated')
  onAccountUpdated(payload: StripeConnectEvent<'account.updated'>): void {
    this.calls.push({
      pattern: 'account.updated',
      event: payload as unknown as StripeConnectEvent,
    });
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('listener failed on purpose');
    }
  }

  @OnStripeEvent('payout.*', 'some.**')
  onPayoutOrUnknown(payload: StripeConnectEvent): void {
    this.calls.push({ pattern: 'payout.*|some.**', event: payload });
  }

  of(type: string): StripeConnectEvent[] {
    return this.calls.filter((c) => c.event.event.type === type).map((c) => c.event);
  }
}

/** The listener of pinax-stripe's documentation, in TypeScript: flags users Stripe needs more from. */
@Injectable()
class VerificationFlagger {
  readonly flaggedUsers = new Set<string>();

  @OnStripeEvent('account.updated')
  onAccountUpdated({ account }: StripeConnectEvent<'account.updated'>): void {
    // Not a custom account: probably the platform's own, an express or a standard one. Nothing to do.
    if (!account || account.type !== 'custom') return;
    if (account.verificationDueBy && account.verificationFieldsNeeded.length && account.userId) {
      // Stripe is asking for more: flag the user so the app asks them at their next visit.
      this.flaggedUsers.add(account.userId);
    }
  }
}

describe('webhooks', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let t: TestApp;
  let db: DataSource;
  let probe: Probe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    t = await createTestApp({
      stripe: {
        kind: 'stripe',
        secretKey: 'sk_test_webhook_tests',
        apiBase: sandbox.url,
        webhookSecrets: [SECRETS.current, SECRETS.rotated],
        connectWebhookSecrets: [SECRETS.connect],
      },
      providers: [Probe, VerificationFlagger],
    });
    db = t.app.get(DataSource);
    probe = t.app.get(Probe);
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });
  beforeEach(() => {
    probe.calls = [];
    probe.failNext = 0;
  });

  const stored = (id: string) => db.getRepository(StripeEvent).findOneBy({ id });
  const customAccount = (params: Stripe.AccountCreateParams = {}) =>
    stripe.accounts.create({ type: 'custom', country: 'US', ...params });

  describe('signatures', () => {
    it('refuses a delivery without a signature, with a wrong secret, a stale timestamp or a changed body: 400, nothing stored', async () => {
      const account = await customAccount();
      const event = eventOf('account.updated', account, { account: account.id });
      const before = await db.getRepository(StripeEvent).count();

      const missing = await deliver(t.app, CONNECT, event, SECRETS.connect, {
        signature: null,
      }).expect(400);
      expect(missing.body).toMatchObject({ statusCode: 400, code: 'invalid_signature' });
      await deliver(t.app, CONNECT, event, 'whsec_someone_else').expect(400);
      await deliver(t.app, CONNECT, event, SECRETS.connect, {
        timestamp: Math.floor(Date.now() / 1000) - 301,
      }).expect(400);
      await deliver(t.app, CONNECT, event, SECRETS.connect, {
        body: JSON.stringify({ ...event, type: 'account.forged' }),
      }).expect(400);
      await deliver(t.app, CONNECT, event, SECRETS.connect, { signature: 't=abc,v1=zzz' }).expect(
        400,
      );
      // A platform secret is not valid on the Connect endpoint, nor the other way round.
      await deliver(t.app, CONNECT, event, SECRETS.current).expect(400);
      await deliver(t.app, PLATFORM, event, SECRETS.connect).expect(400);
      // Signed but not JSON.
      await deliver(t.app, PLATFORM, 'not json at all', SECRETS.current).expect(400);

      expect(await db.getRepository(StripeEvent).count()).toBe(before);
      expect(await stored(event.id)).toBeNull();
    });

    it('accepts every secret of a rotation', async () => {
      for (const secret of [SECRETS.current, SECRETS.rotated]) {
        const event = eventOf('customer.created', { id: `cus_${secret}`, object: 'customer' });
        const response = await deliver(t.app, PLATFORM, event, secret).expect(200);
        expect(response.body).toEqual({ received: true, id: event.id, outcome: 'processed' });
      }
    });
  });

  describe('storage and processing', () => {
    it('stores a verified event once with its attributes, syncs it and calls listeners once', async () => {
      const account = await customAccount({ email: 'seller@example.com' });
      const event = eventOf('account.updated', account, { account: account.id });
      await deliver(t.app, CONNECT, event, SECRETS.connect).expect(200);
      const again = await deliver(t.app, CONNECT, event, SECRETS.connect).expect(200);
      expect(again.body.outcome).toBe('duplicate');

      expect(await stored(event.id)).toMatchObject({
        type: 'account.updated',
        accountId: account.id,
        livemode: false,
        apiVersion: '2026-10-28.endive',
        status: 'processed',
        attempts: 1,
        lastError: null,
        processingStartedAt: null,
      });
      expect((await stored(event.id))!.processedAt).toBeInstanceOf(Date);
      expect((await stored(event.id))!.syncedAt).toBeInstanceOf(Date);
      expect(probe.of('account.updated')).toHaveLength(1);
      const [call] = probe.of('account.updated');
      expect((call.object as Stripe.Account).id).toBe(account.id);
      expect(call.account?.email).toBe('seller@example.com');
      expect(call.record.id).toBe(event.id);
    });

    it('processes one of twenty concurrent deliveries; the others wait and answer as it does', async () => {
      const account = await customAccount();
      const event = eventOf('account.updated', account, { account: account.id });
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => deliver(t.app, CONNECT, event, SECRETS.connect)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(responses.filter((r) => r.body.outcome === 'processed')).toHaveLength(1);
      expect(probe.of('account.updated')).toHaveLength(1);
      expect(await stored(event.id)).toMatchObject({ status: 'processed', attempts: 1 });
    });

    it('keeps a failed event with its error, answers 500, and processes it again on redelivery', async () => {
      const account = await customAccount();
      const event = eventOf('account.updated', account, { account: account.id });
      probe.failNext = 1;
      const failed = await deliver(t.app, CONNECT, event, SECRETS.connect).expect(500);
      expect(failed.body).toMatchObject({ statusCode: 500, code: 'event_processing_failed' });
      expect(JSON.stringify(failed.body)).not.toContain('on purpose');
      expect(await stored(event.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastError: 'listener failed on purpose',
      });
      const errors = await db.getRepository(EventProcessingError).findBy({ eventId: event.id });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ attempt: 1, message: 'listener failed on purpose' });
      expect(errors[0].stack).toContain('onAccountUpdated');
      // The sync committed before the listener failed: the mirror is current.
      expect(await db.getRepository(Account).existsBy({ id: account.id })).toBe(true);

      const redelivered = await deliver(t.app, CONNECT, event, SECRETS.connect).expect(200);
      expect(redelivered.body.outcome).toBe('processed');
      expect(await stored(event.id)).toMatchObject({
        status: 'processed',
        attempts: 2,
        lastError: null,
      });
      expect(probe.of('account.updated')).toHaveLength(2);
    });

    it('stores, acknowledges and dispatches an event type the library does not know', async () => {
      const event = eventOf('some.brand_new.event', { id: 'thing_1', object: 'thing' });
      const response = await deliver(t.app, PLATFORM, event, SECRETS.current).expect(200);
      expect(response.body.outcome).toBe('processed');
      expect(await stored(event.id)).toMatchObject({
        type: 'some.brand_new.event',
        status: 'processed',
      });
      expect(probe.of('some.brand_new.event')).toHaveLength(1);
    });

    it('replays failed events, and replaying a processed one is harmless', async () => {
      const account = await customAccount();
      const event = eventOf('account.updated', account, { account: account.id });
      probe.failNext = 1;
      await deliver(t.app, CONNECT, event, SECRETS.connect).expect(500);
      const webhooks = t.app.get(WebhooksService);
      const replayed = await webhooks.replay({ id: event.id });
      expect(replayed).toEqual([{ id: event.id, type: 'account.updated', outcome: 'processed' }]);
      const again = await webhooks.replay({ id: event.id });
      expect(again[0].outcome).toBe('processed');
      expect(await stored(event.id)).toMatchObject({ status: 'processed', attempts: 3 });
      expect(await webhooks.replay({ failed: true, account: account.id })).toEqual([]);
    });
  });

  describe('sync and ordering', () => {
    it('mirrors an account with its requirements, derived fields, capabilities and external accounts', async () => {
      const account = await customAccount({
        business_type: 'individual',
        external_account: 'btok_us',
        capabilities: { transfers: { requested: true } },
      });
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.updated', account, { account: account.id }),
        SECRETS.connect,
      ).expect(200);
      const row = await db.getRepository(Account).findOneByOrFail({ id: account.id });
      expect(row).toMatchObject({
        type: 'custom',
        country: 'US',
        chargesEnabled: false,
        disabledReason: 'requirements.past_due',
        capabilities: { transfers: 'inactive' },
        authorized: true,
      });
      expect(row.verificationFieldsNeeded).toEqual(
        [...account.requirements!.currently_due!].sort(),
      );
      expect(row.verificationFieldsNeeded).toContain('individual.dob.day');
      const externals = await db.getRepository(ExternalAccount).findBy({ accountId: account.id });
      expect(externals.map((e) => [e.last4, e.defaultForCurrency])).toEqual([['6789', true]]);
    });

    it('mirrors every external account across pages, and drops those Stripe no longer has', async () => {
      const account = await customAccount({
        external_account: 'btok_us',
      });
      for (let i = 1; i < 12; i += 1) {
        await stripe.accounts.createExternalAccount(account.id, {
          external_account: {
            object: 'bank_account',
            country: 'US',
            currency: 'usd',
            routing_number: '110000000',
            account_number: `0001234567${String(i).padStart(2, '0')}`,
          } as unknown as string,
        });
      }
      const full = await stripe.accounts.retrieve(account.id);
      expect(full.external_accounts).toMatchObject({ has_more: true });
      expect(full.external_accounts!.data).toHaveLength(10);
      const base = Math.floor(Date.now() / 1000);
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.updated', full, { account: account.id, created: base }),
        SECRETS.connect,
      ).expect(200);
      expect(await db.getRepository(ExternalAccount).countBy({ accountId: account.id })).toBe(12);

      const removed = full.external_accounts!.data.find(
        (e) => !(e as Stripe.BankAccount).default_for_currency,
      )!;
      await stripe.accounts.deleteExternalAccount(account.id, removed.id);
      const after = await stripe.accounts.retrieve(account.id);
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.updated', after, { account: account.id, created: base + 1 }),
        SECRETS.connect,
      ).expect(200);
      const ids = (await db.getRepository(ExternalAccount).findBy({ accountId: account.id })).map(
        (e) => e.id,
      );
      expect(ids).toHaveLength(11);
      expect(ids).not.toContain(removed.id);
    });

    it('never lets an older snapshot overwrite a newer one, and settles a tie by re-fetching', async () => {
      const account = await customAccount({ email: 'v1@example.com' });
      const base = Math.floor(Date.now() / 1000);
      const newer = { ...account, email: 'v2@example.com' };
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.updated', newer, { account: account.id, created: base + 10 }),
        SECRETS.connect,
      ).expect(200);
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.updated', account, { account: account.id, created: base }),
        SECRETS.connect,
      ).expect(200);
      expect((await db.getRepository(Account).findOneByOrFail({ id: account.id })).email).toBe(
        'v2@example.com',
      );

      // Same second: the event's copy cannot be trusted over the row's; Stripe's current state wins.
      await stripe.accounts.update(account.id, { email: 'v3@example.com' });
      await deliver(
        t.app,
        CONNECT,
        eventOf(
          'account.updated',
          { ...account, email: 'stale@example.com' },
          { account: account.id, created: base + 10 },
        ),
        SECRETS.connect,
      ).expect(200);
      expect((await db.getRepository(Account).findOneByOrFail({ id: account.id })).email).toBe(
        'v3@example.com',
      );
    });

    it('a payout.updated older than the stored payout changes nothing', async () => {
      const account = await customAccount();
      const base = Math.floor(Date.now() / 1000);
      const id = `po_test_${base}`;
      await deliver(
        t.app,
        CONNECT,
        eventOf('payout.paid', payoutOf({ id, status: 'paid' }), {
          account: account.id,
          created: base + 5,
        }),
        SECRETS.connect,
      ).expect(200);
      await deliver(
        t.app,
        CONNECT,
        eventOf('payout.updated', payoutOf({ id, status: 'in_transit' }), {
          account: account.id,
          created: base,
        }),
        SECRETS.connect,
      ).expect(200);
      const payout = await db.getRepository(Payout).findOneByOrFail({ id });
      expect(payout).toMatchObject({
        status: 'paid',
        accountId: account.id,
        amount: 1000,
        currency: 'usd',
      });
      expect(payout.snapshotAt!.getTime()).toBe((base + 5) * 1000);
      expect(probe.of('payout.updated')).toHaveLength(1);
    });

    it('creates an account it has never seen from Stripe, as that account', async () => {
      const account = await stripe.accounts.create({
        type: 'express',
        country: 'US',
        capabilities: { transfers: { requested: true } },
      });
      expect(await db.getRepository(Account).existsBy({ id: account.id })).toBe(false);
      const capability = await stripe.accounts.retrieveCapability(account.id, 'transfers');
      await deliver(
        t.app,
        CONNECT,
        eventOf('capability.updated', capability, { account: account.id }),
        SECRETS.connect,
      ).expect(200);
      const row = await db.getRepository(Account).findOneByOrFail({ id: account.id });
      expect(row).toMatchObject({
        type: 'express',
        userId: null,
        capabilities: { transfers: 'inactive' },
      });
    });

    it('keeps an account whose platform access was revoked, marked unauthorized', async () => {
      const account = await stripe.accounts.create({ type: 'standard', country: 'US' });
      const application = { id: 'ca_test_platform', object: 'application', name: 'Platform' };
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.application.deauthorized', application, { account: account.id }),
        SECRETS.connect,
      ).expect(200);
      // The platform can no longer read the account: the row remembers the deauthorization, no call made.
      expect(await db.getRepository(Account).findOneByOrFail({ id: account.id })).toMatchObject({
        authorized: false,
      });
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.application.authorized', application, { account: account.id }),
        SECRETS.connect,
      ).expect(200);
      expect((await db.getRepository(Account).findOneByOrFail({ id: account.id })).authorized).toBe(
        true,
      );
    });

    it('keeps the owner a create flow set when the webhook lands second', async () => {
      const account = await customAccount();
      await db
        .getRepository(Account)
        .insert({ id: account.id, type: 'custom', userId: 'seller-9' });
      await deliver(
        t.app,
        CONNECT,
        eventOf('account.updated', account, { account: account.id }),
        SECRETS.connect,
      ).expect(200);
      expect((await db.getRepository(Account).findOneByOrFail({ id: account.id })).userId).toBe(
        'seller-9',
      );
    });
  });

  it('runs the listener of pinax-stripe’s documentation: users with verification due are flagged', async () => {
    const flagger = t.app.get(VerificationFlagger);
    const account = await customAccount({ business_type: 'individual' });
    await db
      .getRepository(Account)
      .insert({ id: account.id, type: 'custom', userId: 'seller-needs-info' });
    const due = {
      ...account,
      requirements: {
        ...account.requirements!,
        current_deadline: Math.floor(Date.now() / 1000) + 7 * 86_400,
      },
    };
    await deliver(
      t.app,
      CONNECT,
      eventOf('account.updated', due, { account: account.id }),
      SECRETS.connect,
    ).expect(200);
    expect(flagger.flaggedUsers.has('seller-needs-info')).toBe(true);

    const noDeadline = await customAccount({ business_type: 'individual' });
    await db
      .getRepository(Account)
      .insert({ id: noDeadline.id, type: 'custom', userId: 'seller-fine' });
    await deliver(
      t.app,
      CONNECT,
      eventOf('account.updated', noDeadline, { account: noDeadline.id }),
      SECRETS.connect,
    ).expect(200);
    expect(flagger.flaggedUsers.has('seller-fine')).toBe(false);
  });
});
