/**
 * The marketplace end to end, on PostgreSQL (a database of its own, created from DATABASE_URL) and the offline
 * Stripe sandbox of `nest-stripe-connect/testing`: a seller onboards, a buyer's destination charge funds them,
 * their payouts are paid or fail, and the app's listener tells them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  baseUrlOf,
  stripeEvent,
  TEST_PAYMENT_METHODS,
  TEST_US_BANK_ACCOUNTS,
  testCustomAccountForm,
  TestStripeSandbox,
} from 'nest-stripe-connect/testing';
import { signSessionToken, type SessionUser } from '../src/auth/session-token.js';

const AUTH_SECRET = randomBytes(32).toString('hex');
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('Set DATABASE_URL to a PostgreSQL role that may create databases');
const database = `marketplace_test_${randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('marketplace', () => {
  let stripe: TestStripeSandbox;
  let app: INestApplication;
  let base: string;

  before(async () => {
    await admin(`CREATE DATABASE "${database}"`);
    stripe = await TestStripeSandbox.start();
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    // The app reads its environment through @nestjs/config: point it at the test database and the sandbox.
    const options = stripe.moduleOptions();
    Object.assign(process.env, {
      DATABASE_URL: url.toString(),
      AUTH_SECRET,
      STRIPE_SECRET_KEY: options.secretKey,
      STRIPE_API_BASE: options.apiBase,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_CONNECT_WEBHOOK_SECRET: stripe.connectWebhookSecret,
      PUBLIC_URL: 'https://market.example.com',
    });
    // Imported once the environment is set: ConfigModule.forRoot validates it when the module loads.
    const { createApp } = await import('../src/create-app.js');
    app = await createApp({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    stripe.deliverWebhooksTo(app);
    base = baseUrlOf(app);
  });

  after(async () => {
    await app?.close();
    await stripe?.close();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  const call = async (
    user: SessionUser | null,
    method: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: any }> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (user) headers.Authorization = `Bearer ${signSessionToken(AUTH_SECRET, user)}`;
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const back = { id: 'back-office', role: 'admin' } as const;

  /** A seller onboarded with Stripe's test values, funded by a destination charge available at once. */
  async function fundedSeller(id: string, accountNumber: string): Promise<string> {
    const seller: SessionUser = { id, role: 'seller' };
    const created = await call(seller, 'POST', '/connect/accounts/custom', {
      ...testCustomAccountForm({ accountNumber }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const charge = await call(back, 'POST', '/connect/charges', {
      amount: 5_000,
      currency: 'usd',
      paymentMethod: TEST_PAYMENT_METHODS.bypassPending,
      destination: created.body.id,
    });
    assert.equal(charge.status, 201, JSON.stringify(charge.body));
    return created.body.id as string;
  }

  it('refuses a caller without a session, and lets Stripe’s webhooks through unsigned by it', async () => {
    assert.equal((await call(null, 'GET', '/connect/accounts')).status, 401);
    const unsigned = await fetch(`${base}/stripe/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(unsigned.status, 400);
  });

  it('onboards a custom account to charges_enabled with Stripe’s test values', async () => {
    const seller: SessionUser = { id: 'onboarding-seller', role: 'seller' };
    const created = await call(seller, 'POST', '/connect/accounts/custom', testCustomAccountForm());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.chargesEnabled, true);
    assert.equal(created.body.payoutsEnabled, true);
    const other = await call(
      { id: 'someone-else', role: 'seller' },
      'GET',
      `/connect/accounts/${created.body.id}`,
    );
    assert.equal(other.status, 404);
  });

  it('makes a destination charge: the seller’s available balance is the amount less the fee', async () => {
    const seller: SessionUser = { id: 'charged-seller', role: 'seller' };
    const account = (
      await call(seller, 'POST', '/connect/accounts/custom', testCustomAccountForm())
    ).body.id as string;
    const charge = await call(back, 'POST', '/connect/charges', {
      amount: 10_000,
      currency: 'usd',
      paymentMethod: TEST_PAYMENT_METHODS.bypassPending,
      destination: account,
      applicationFeeAmount: 1_000,
    });
    assert.equal(charge.status, 201, JSON.stringify(charge.body));
    assert.equal(charge.body.status, 'succeeded');
    const balance = await call(seller, 'GET', `/connect/accounts/${account}/balance`);
    assert.deepEqual(balance.body.available, [{ amount: 9_000, currency: 'usd' }]);
    const declined = await call(back, 'POST', '/connect/charges', {
      amount: 1_000,
      currency: 'usd',
      paymentMethod: TEST_PAYMENT_METHODS.declined,
      destination: account,
    });
    assert.equal(declined.status, 402);
  });

  it('pays out to a good bank account and fails on a closed one; the listener tells each seller', async () => {
    const paid = await fundedSeller('paid-seller', TEST_US_BANK_ACCOUNTS.success);
    const failed = await fundedSeller('failed-seller', TEST_US_BANK_ACCOUNTS.noAccount);
    for (const [user, account] of [
      ['paid-seller', paid],
      ['failed-seller', failed],
    ] as const) {
      const payout = await call(
        { id: user, role: 'seller' },
        'POST',
        `/connect/accounts/${account}/payouts`,
        {
          amount: 4_000,
          currency: 'usd',
        },
      );
      assert.equal(payout.status, 201, JSON.stringify(payout.body));
      assert.equal(payout.body.status, 'pending');
    }
    await stripe.advanceDays(2); // in transit after a day, then paid or failed; webhooks delivered
    const paidNotices = await call(
      { id: 'paid-seller', role: 'seller' },
      'GET',
      '/me/payout-notices',
    );
    assert.deepEqual(
      paidNotices.body.map((n: { status: string; amount: number }) => [n.status, n.amount]),
      [['paid', 4_000]],
    );
    const failedNotices = await call(
      { id: 'failed-seller', role: 'seller' },
      'GET',
      '/me/payout-notices',
    );
    assert.equal(failedNotices.body[0].status, 'failed');
    assert.equal(failedNotices.body[0].failureCode, 'no_account');
    const payouts = await call(
      { id: 'failed-seller', role: 'seller' },
      'GET',
      `/connect/accounts/${failed}/payouts`,
    );
    assert.equal(payouts.body[0].status, 'failed');
  });

  it('runs the listener once for an event delivered twice, and refuses a bad signature', async () => {
    const account = await fundedSeller('replayed-seller', TEST_US_BANK_ACCOUNTS.success);
    const payout = await stripe.stripe.payouts.create(
      { amount: 1_000, currency: 'usd' },
      { stripeAccount: account },
    );
    const event = stripeEvent('payout.paid', { ...payout, status: 'paid' }, { account });
    for (let i = 0; i < 2; i++) assert.equal((await stripe.deliver(app, event)).status, 200);
    const notices = await call(
      { id: 'replayed-seller', role: 'seller' },
      'GET',
      '/me/payout-notices',
    );
    assert.deepEqual(
      notices.body.filter((n: { eventId: string }) => n.eventId === event.id).length,
      1,
    );
    const forged = await fetch(`${base}/stripe/webhooks/connect`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': 't=1,v1=00' },
      body: JSON.stringify(event),
    });
    assert.equal(forged.status, 400);
  });
});
