/**
 * `nest-stripe-connect/testing` as a platform's suite uses it: its sandbox started in the test process, the app
 * pointed at it with `moduleOptions()`, its events delivered to the app, its clock and faults driven by the test.
 */
import { Injectable } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Account,
  AccountsService,
  ChargesService,
  OnStripeEvent,
  Payout,
  TransfersService,
  type StripeConnectEvent,
} from '../src/stripe-connect/index.js';
import {
  deliverStripeEvent,
  stripeEvent,
  TEST_PAYMENT_METHODS,
  TEST_US_BANK_ACCOUNTS,
  testCustomAccountForm,
  TestStripeSandbox,
} from '../src/stripe-connect-testing/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

@Injectable()
class BalanceListener {
  readonly seen: string[] = [];

  @OnStripeEvent('balance.available')
  onBalance({ event }: StripeConnectEvent<'balance.available'>): void {
    this.seen.push(event.id);
  }
}

describe('nest-stripe-connect/testing', () => {
  let sandbox: TestStripeSandbox;
  let t: TestApp;
  const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

  beforeAll(async () => {
    sandbox = await TestStripeSandbox.start();
    const options = sandbox.moduleOptions();
    t = await createTestApp({
      stripe: {
        kind: 'stripe',
        secretKey: options.secretKey!,
        apiBase: options.apiBase!,
        webhookSecrets: options.webhookSecrets!,
        connectWebhookSecrets: options.connectWebhookSecrets!,
      },
      providers: [BalanceListener],
    });
    sandbox.deliverWebhooksTo(t.app);
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });

  it('onboards to charges_enabled, funds at once with bypassPending, and pays out paid or failed', async () => {
    const outcomes: [string, string, string | null][] = [
      [TEST_US_BANK_ACCOUNTS.success, 'paid', null],
      [TEST_US_BANK_ACCOUNTS.accountClosed, 'failed', 'account_closed'],
    ];
    const payouts: string[] = [];
    for (const [accountNumber] of outcomes) {
      const seller = { id: `kit-seller-${accountNumber}`, platform: false };
      const account = await t.app
        .get(AccountsService)
        .createCustom(seller, testCustomAccountForm({ accountNumber }), meta);
      expect(account).toMatchObject({ chargesEnabled: true, payoutsEnabled: true });
      const charge = await t.app.get(ChargesService).create({
        amount: 5_000,
        currency: 'usd',
        paymentMethod: TEST_PAYMENT_METHODS.bypassPending,
        destination: account.id,
        applicationFeeAmount: 500,
      });
      expect(charge.status).toBe('succeeded');
      const payout = await t.app
        .get(TransfersService)
        .payout(seller, account.id, { amount: 4_500, currency: 'usd' });
      payouts.push(payout.id);
    }
    await sandbox.advanceDays(2);
    const stored = t.app.get(DataSource).getRepository(Payout);
    for (const [i, [, status, failureCode]] of outcomes.entries()) {
      expect(await stored.findOneByOrFail({ id: payouts[i] })).toMatchObject({
        status,
        failureCode,
      });
    }
  });

  it('keeps a card charge pending until the clock has moved two days', async () => {
    const seller = { id: 'kit-pending-seller', platform: false };
    const account = await t.app
      .get(AccountsService)
      .createCustom(seller, testCustomAccountForm(), meta);
    await t.app.get(ChargesService).create({
      amount: 3_000,
      currency: 'usd',
      paymentMethod: TEST_PAYMENT_METHODS.visa,
      destination: account.id,
    });
    const balance = () =>
      sandbox.stripe.balance.retrieve({}, { stripeAccount: account.id }).then((b) => ({
        available: b.available.find((a) => a.currency === 'usd')?.amount ?? 0,
        pending: b.pending.find((a) => a.currency === 'usd')?.amount ?? 0,
      }));
    expect(await balance()).toEqual({ available: 0, pending: 3_000 });
    await sandbox.advanceDays(2);
    expect(await balance()).toEqual({ available: 3_000, pending: 0 });
  });

  it('completes hosted onboarding of an Express account; its webhooks enable the mirrored account', async () => {
    const token = await t.token('kit-express-seller');
    const created = await request(t.app.getHttpServer())
      .post('/connect/accounts')
      .set('Authorization', `Bearer ${token}`)
      .send({ type: 'express', country: 'US', email: 'express@example.com' })
      .expect(201);
    const location = await sandbox.completeOnboarding(created.body.onboarding.url as string);
    expect(location).toMatch(/^https:\/\/market\.example\.com\/connect\/onboarding\/return\?/);
    expect(
      await t.app
        .get(DataSource)
        .getRepository(Account)
        .findOneByOrFail({ id: created.body.accountId as string }),
    ).toMatchObject({ detailsSubmitted: true, chargesEnabled: true });
  });

  it('delivers an event of the test’s own once to listeners, and refuses a stale signature', async () => {
    const event = stripeEvent('balance.available', {
      object: 'balance',
      available: [{ amount: 100, currency: 'usd', source_types: { card: 100 } }],
      pending: [],
      livemode: false,
    });
    expect((await sandbox.deliver(t.app, event)).status).toBe(200);
    expect((await sandbox.deliver(t.app, event)).status).toBe(200);
    expect(t.app.get(BalanceListener).seen.filter((id) => id === event.id)).toHaveLength(1);
    const stale = await deliverStripeEvent(t.app, stripeEvent('balance.available', {}), {
      secret: sandbox.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(400);
    const wrongSecret = await deliverStripeEvent(t.app, stripeEvent('balance.available', {}), {
      secret: sandbox.connectWebhookSecret,
    });
    expect(wrongSecret.status).toBe(400);
  });

  it('injects a fault: the next matching request fails, the one after works', async () => {
    sandbox.injectFault({ path: '/v1/customers', method: 'POST', status: 503 });
    await expect(sandbox.stripe.customers.create({ email: 'a@example.com' })).rejects.toMatchObject(
      {
        statusCode: 503,
      },
    );
    await expect(
      sandbox.stripe.customers.create({ email: 'a@example.com' }),
    ).resolves.toMatchObject({ object: 'customer' });
  });
});
