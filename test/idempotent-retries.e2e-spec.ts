/**
 * A request retried with its Idempotency-Key after the state changed (captured, refunded, reversed, paid,
 * updated) answers with the first request's status and body, and the mirror stays at the newest state:
 * Stripe's replayed answer (`Idempotent-Replayed: true`) is never written as the current state.
 */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import {
  Account,
  Charge,
  Customer,
  Payout,
  Refund,
  STRIPE_CLIENT,
  Transfer,
} from '../src/stripe-connect/index.js';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DAY = 86_400;

describe('retries with the same key after the state changed', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;
  let clock: SandboxClient;
  let platform: string;
  let seller: string;
  const sellerUser = 'retry-seller';

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
    platform = `Bearer ${await t.token('back-office', { platform: true })}`;
    seller = (
      await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', `Bearer ${await t.token(sellerUser)}`)
        .send(sellerForm())
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();
  const post = (path: string, body: object, key: string, auth = platform) =>
    request(server()).post(path).set('Authorization', auth).set('Idempotency-Key', key).send(body);
  /** Lets the sandbox's webhooks of what just happened reach the app. */
  const settle = () => clock.advance(0);

  it('charges, captures and refunds', async () => {
    const form = {
      amount: 8_000,
      currency: 'usd',
      paymentMethod: 'pm_card_bypassPending',
      captureMethod: 'manual',
      destination: seller,
      applicationFeeAmount: 800,
    };
    const created = await post('/connect/charges', form, 'retry-charge-1').expect(201);
    expect(created.body).toMatchObject({ status: 'requires_capture', amountCaptured: 0 });
    const id = created.body.id as string;
    const captured = await post(`/connect/charges/${id}/capture`, {}, 'retry-capture-1').expect(
      200,
    );
    expect(captured.body).toMatchObject({ status: 'succeeded', amountCaptured: 8_000 });

    // The create, retried after the capture: the first answer; the mirror stays captured.
    const again = await post('/connect/charges', form, 'retry-charge-1');
    expect([again.status, again.body]).toEqual([created.status, created.body]);
    await settle();
    expect(await db.getRepository(Charge).findOneByOrFail({ id })).toMatchObject({
      status: 'succeeded',
      amountCaptured: 8_000,
    });

    // A full refund, then the capture and the refund retried: first answers, mirror refunded.
    const refunded = await post(`/connect/charges/${id}/refunds`, {}, 'retry-refund-1').expect(201);
    expect(refunded.body).toMatchObject({ amount: 8_000, paymentIntentId: id });
    const captureAgain = await post(`/connect/charges/${id}/capture`, {}, 'retry-capture-1');
    expect([captureAgain.status, captureAgain.body]).toEqual([captured.status, captured.body]);
    const refundAgain = await post(`/connect/charges/${id}/refunds`, {}, 'retry-refund-1');
    expect([refundAgain.status, refundAgain.body]).toEqual([refunded.status, refunded.body]);
    await settle();
    expect(await db.getRepository(Charge).findOneByOrFail({ id })).toMatchObject({
      status: 'succeeded',
      amountCaptured: 8_000,
      amountRefunded: 8_000,
    });
    expect(await db.getRepository(Refund).countBy({ paymentIntentId: id })).toBe(1);
    // Without a key, what remains is checked here: nothing remains.
    const refused = await request(server())
      .post(`/connect/charges/${id}/refunds`)
      .set('Authorization', platform)
      .send({ amount: 1 })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('remains to refund (0)');
  });

  it('transfers and reversals', async () => {
    await post(
      '/connect/charges',
      { amount: 20_000, currency: 'usd', paymentMethod: 'pm_card_bypassPending' },
      'retry-funding',
    ).expect(201);
    const form = { amount: 3_000, currency: 'usd', destination: seller };
    const created = await post('/connect/transfers', form, 'retry-transfer-1').expect(201);
    const id = created.body.id as string;
    const reversed = await post(
      `/connect/transfers/${id}/reversals`,
      {},
      'retry-reversal-1',
    ).expect(201);
    expect(reversed.body).toMatchObject({ amount: 3_000, transferId: id });

    const again = await post('/connect/transfers', form, 'retry-transfer-1');
    expect([again.status, again.body]).toEqual([created.status, created.body]);
    const reverseAgain = await post(`/connect/transfers/${id}/reversals`, {}, 'retry-reversal-1');
    expect([reverseAgain.status, reverseAgain.body]).toEqual([reversed.status, reversed.body]);
    await settle();
    expect(await db.getRepository(Transfer).findOneByOrFail({ id })).toMatchObject({
      amountReversed: 3_000,
      reversed: true,
    });
  });

  it('payouts', async () => {
    await post(
      '/connect/charges',
      {
        amount: 5_000,
        currency: 'usd',
        paymentMethod: 'pm_card_bypassPending',
        destination: seller,
      },
      'retry-payout-funding',
    ).expect(201);
    const auth = `Bearer ${await t.token(sellerUser)}`;
    const path = `/connect/accounts/${seller}/payouts`;
    const form = { amount: 2_000, currency: 'usd' };
    const created = await post(path, form, 'retry-payout-1', auth).expect(201);
    expect(created.body).toMatchObject({ status: 'pending' });
    await clock.advance(2 * DAY);
    const id = created.body.id as string;
    expect(await db.getRepository(Payout).findOneByOrFail({ id })).toMatchObject({
      status: 'paid',
    });
    const again = await post(path, form, 'retry-payout-1', auth);
    expect([again.status, again.body]).toEqual([created.status, created.body]);
    await settle();
    expect(await db.getRepository(Payout).findOneByOrFail({ id })).toMatchObject({
      status: 'paid',
    });
  });

  it('customers', async () => {
    const auth = `Bearer ${await t.token('retry-buyer')}`;
    const path = `/connect/accounts/${seller}/customers`;
    const created = await request(server())
      .post(path)
      .set('Authorization', auth)
      .send({ email: 'first@example.com' })
      .expect(201);
    const id = created.body.id as string;
    await stripe.customers.update(id, { email: 'changed@example.com' }, { stripeAccount: seller });
    await settle();
    const again = await request(server())
      .post(path)
      .set('Authorization', auth)
      .send({ email: 'first@example.com' })
      .expect(200);
    expect(again.body.id).toBe(id);
    expect(await db.getRepository(Customer).findOneByOrFail({ id })).toMatchObject({
      email: 'changed@example.com',
      deletedAt: null,
    });
  });

  it('accounts', async () => {
    const auth = `Bearer ${await t.token('retry-account-owner')}`;
    const created = await request(server())
      .post('/connect/accounts/custom')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'retry-account-1')
      .send(sellerForm())
      .expect(201);
    const id = created.body.id as string;
    await stripe.accounts.update(id, { email: 'changed-seller@example.com' });
    await settle();
    const again = await request(server())
      .post('/connect/accounts/custom')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'retry-account-1')
      .send(sellerForm())
      .expect(201);
    expect(again.body.id).toBe(id);
    expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
      email: 'changed-seller@example.com',
      userId: 'retry-account-owner',
    });
  });
});
