/** Money movement through REST with JWTs, against the embedded sandbox and its webhooks. */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource, Not, IsNull } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import {
  Charge,
  ChargesService,
  Payout,
  STRIPE_CLIENT,
  Transfer,
  TransfersService,
} from '../src/stripe-connect/index.js';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DAY = 86_400;

describe('money movement', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;
  let clock: SandboxClient;
  let platform: string;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
    platform = `Bearer ${await t.token('back-office', { platform: true })}`;
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();
  const newSeller = async (user: string, accountNumber?: string) =>
    (
      await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', `Bearer ${await t.token(user)}`)
        .send(sellerForm(accountNumber))
        .expect(201)
    ).body.id as string;
  const charge = (body: object, key?: string) => {
    const call = request(server()).post('/connect/charges').set('Authorization', platform);
    if (key) call.set('Idempotency-Key', key);
    return call.send(body);
  };
  const balance = async (user: string, account: string) =>
    (
      await request(server())
        .get(`/connect/accounts/${account}/balance`)
        .set('Authorization', `Bearer ${await t.token(user)}`)
        .expect(200)
    ).body as {
      available: { amount: number; currency: string }[];
      pending: { amount: number; currency: string }[];
    };
  const usd = (rows: { amount: number; currency: string }[]) =>
    rows.find((r) => r.currency === 'usd')?.amount ?? 0;

  it('makes a destination charge with a fee; the seller’s balance shows the net', async () => {
    const seller = await newSeller('dest-seller');
    const response = await charge({
      amount: 10_000,
      currency: 'usd',
      paymentMethod: 'pm_card_bypassPending',
      destination: seller,
      applicationFeeAmount: 1_000,
      transferGroup: 'order-9',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^pi_/),
      status: 'succeeded',
      accountId: null,
      destinationAccountId: seller,
      amount: 10_000,
      amountCaptured: 10_000,
      applicationFeeAmount: 1_000,
      transferGroup: 'order-9',
    });
    expect(usd((await balance('dest-seller', seller)).available)).toBe(9_000);
    await request(server())
      .get(`/connect/charges/${response.body.id as string}`)
      .set('Authorization', platform)
      .expect(200);
  });

  it('makes a direct charge on the connected account with a fee, captured in part after authorisation', async () => {
    const seller = await newSeller('direct-seller');
    const held = await charge({
      amount: 10_000,
      currency: 'usd',
      paymentMethod: 'pm_card_bypassPending',
      account: seller,
      applicationFeeAmount: 500,
      captureMethod: 'manual',
    });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'requires_capture', accountId: seller });
    const captured = await request(server())
      .post(`/connect/charges/${held.body.id as string}/capture`)
      .set('Authorization', platform)
      .send({ amount: 8_000 })
      .expect(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amountCaptured: 8_000 });
    // The PaymentIntent lives on the connected account, not the platform.
    await expect(
      stripe.paymentIntents.retrieve(held.body.id as string, {}, { stripeAccount: seller }),
    ).resolves.toMatchObject({ amount_received: 8_000 });
    expect(usd((await balance('direct-seller', seller)).available)).toBe(7_500);
    // An authorisation not captured can be cancelled, on its account too.
    const other = await charge({
      amount: 4_000,
      currency: 'usd',
      paymentMethod: 'pm_card_visa',
      account: seller,
      captureMethod: 'manual',
    }).expect(201);
    const cancelled = await request(server())
      .post(`/connect/charges/${other.body.id as string}/cancel`)
      .set('Authorization', platform)
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'canceled', accountId: seller });
    // The refund goes to the same account.
    const refund = await request(server())
      .post(`/connect/charges/${held.body.id as string}/refunds`)
      .set('Authorization', platform)
      .send({ amount: 1_000, refundApplicationFee: true })
      .expect(201);
    expect(refund.body).toMatchObject({
      status: 'succeeded',
      amount: 1_000,
      paymentIntentId: held.body.id,
    });
  });

  it('refunds a destination charge with reverse_transfer and refund_application_fee', async () => {
    const seller = await newSeller('refund-seller');
    const paid = await charge({
      amount: 10_000,
      currency: 'usd',
      paymentMethod: 'pm_card_bypassPending',
      destination: seller,
      applicationFeeAmount: 1_000,
    });
    const id = paid.body.id as string;
    const refunded = await request(server())
      .post(`/connect/charges/${id}/refunds`)
      .set('Authorization', platform)
      .send({ amount: 5_000, reverseTransfer: true, refundApplicationFee: true });
    expect(refunded.status).toBe(201);
    const after = await request(server())
      .get(`/connect/charges/${id}`)
      .set('Authorization', platform)
      .expect(200);
    expect(after.body.amountRefunded).toBe(5_000);
    expect(usd((await balance('refund-seller', seller)).available)).toBe(9_000 - 4_500 + 500);
    const tooMuch = await request(server())
      .post(`/connect/charges/${id}/refunds`)
      .set('Authorization', platform)
      .send({ amount: 6_000 })
      .expect(400);
    expect(Object.keys(tooMuch.body.errors)).toEqual(['amount']);
  });

  it('answers a declined card with 402, code and decline code, keeping the error on the row', async () => {
    const seller = await newSeller('decline-seller');
    const declined = await charge({
      amount: 2_000,
      currency: 'usd',
      paymentMethod: 'pm_card_visa_chargeDeclinedInsufficientFunds',
      destination: seller,
    });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      declineCode: 'insufficient_funds',
    });
    const row = await db
      .getRepository(Charge)
      .findOneByOrFail({ destinationAccountId: seller, lastPaymentError: Not(IsNull()) });
    expect(row).toMatchObject({
      status: 'requires_payment_method',
      lastPaymentError: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
  });

  it('lets only the platform move money between parties', async () => {
    const user = `Bearer ${await t.token('just-a-user')}`;
    const refused = await request(server())
      .post('/connect/charges')
      .set('Authorization', user)
      .send({ amount: 1_000, currency: 'usd', paymentMethod: 'pm_card_visa' })
      .expect(403);
    expect(refused.body.code).toBe('platform_only');
    await request(server())
      .post('/connect/transfers')
      .set('Authorization', user)
      .send({ amount: 100, currency: 'usd', destination: 'acct_x' })
      .expect(403);
  });

  it('transfers and reverses, and refuses a transfer beyond the available balance', async () => {
    const seller = await newSeller('transfer-seller');
    await charge({
      amount: 20_000,
      currency: 'usd',
      paymentMethod: 'pm_card_bypassPending',
    }).expect(201);
    const transfer = await request(server())
      .post('/connect/transfers')
      .set('Authorization', platform)
      .send({ amount: 3_000, currency: 'usd', destination: seller, transferGroup: 'g-9' })
      .expect(201);
    expect(transfer.body).toMatchObject({
      destinationAccountId: seller,
      amount: 3_000,
      transferGroup: 'g-9',
    });
    const reversal = await request(server())
      .post(`/connect/transfers/${transfer.body.id as string}/reversals`)
      .set('Authorization', platform)
      .send({ amount: 1_000 })
      .expect(201);
    expect(reversal.body).toMatchObject({ transferId: transfer.body.id, amount: 1_000 });
    expect(
      await db.getRepository(Transfer).findOneByOrFail({ id: transfer.body.id as string }),
    ).toMatchObject({ amountReversed: 1_000 });
    const short = await request(server())
      .post('/connect/transfers')
      .set('Authorization', platform)
      .send({ amount: 99_999_999, currency: 'usd', destination: seller })
      .expect(400);
    expect(short.body.code).toBe('balance_insufficient');
  });

  it('pays out on the clock: paid to 000123456789, failed with no_account to 000111111116; others’ accounts are 404', async () => {
    for (const [number, outcome] of [
      ['000123456789', 'paid'],
      ['000111111116', 'failed'],
    ] as const) {
      const user = `payout-${outcome}`;
      const seller = await newSeller(user, number);
      await charge({
        amount: 5_000,
        currency: 'usd',
        paymentMethod: 'pm_card_bypassPending',
        destination: seller,
      }).expect(201);
      const auth = `Bearer ${await t.token(user)}`;
      const created = await request(server())
        .post(`/connect/accounts/${seller}/payouts`)
        .set('Authorization', auth)
        .send({ amount: 4_000, currency: 'usd' })
        .expect(201);
      expect(created.body).toMatchObject({
        status: 'pending',
        amount: 4_000,
        accountId: seller,
        method: 'standard',
      });
      await clock.advance(2 * DAY);
      const listed = await request(server())
        .get(`/connect/accounts/${seller}/payouts`)
        .set('Authorization', auth)
        .expect(200);
      expect(listed.body[0]).toMatchObject({
        id: created.body.id,
        status: outcome,
        failureCode: outcome === 'failed' ? 'no_account' : null,
      });
      expect(
        await db.getRepository(Payout).findOneByOrFail({ id: created.body.id as string }),
      ).toMatchObject({ status: outcome });
      await request(server())
        .post(`/connect/accounts/${seller}/payouts`)
        .set('Authorization', `Bearer ${await t.token('thief')}`)
        .send({ amount: 100, currency: 'usd' })
        .expect(404);
      await request(server())
        .get(`/connect/accounts/${seller}/balance`)
        .set('Authorization', `Bearer ${await t.token('thief')}`)
        .expect(404);
    }
  });

  it('takes zero- and three-decimal currencies by their rules', async () => {
    const seller = await newSeller('yen-seller');
    const yen = await charge({
      amount: 1_000,
      currency: 'jpy',
      paymentMethod: 'pm_card_bypassPending',
      destination: seller,
    }).expect(201);
    expect(yen.body).toMatchObject({ amount: 1_000, currency: 'jpy' });
    const kwd = await charge({
      amount: 1_505,
      currency: 'kwd',
      paymentMethod: 'pm_card_bypassPending',
      destination: seller,
    }).expect(400);
    expect(kwd.body.errors.amount[0]).toContain('multiples of 10');
    const small = await charge({
      amount: 49,
      currency: 'usd',
      paymentMethod: 'pm_card_bypassPending',
      destination: seller,
    }).expect(400);
    expect(small.body.errors.amount[0]).toContain('at least 50');
  });

  it('moves money exactly once: a retried key, and a lost answer retried by the SDK, make one charge', async () => {
    const seller = await newSeller('once-seller');
    const before = (await stripe.paymentIntents.list({ limit: 100 })).data.length;
    const key = `order-77-${Date.now()}`;
    const first = await charge(
      {
        amount: 3_000,
        currency: 'usd',
        paymentMethod: 'pm_card_bypassPending',
        destination: seller,
      },
      key,
    ).expect(201);
    const again = await charge(
      {
        amount: 3_000,
        currency: 'usd',
        paymentMethod: 'pm_card_bypassPending',
        destination: seller,
      },
      key,
    ).expect(201);
    expect(again.body).toEqual(first.body);
    expect((await stripe.paymentIntents.list({ limit: 100 })).data.length).toBe(before + 1);

    // Stripe does the work, then its answer is lost (a 500, then a dropped connection): the SDK retries with
    // the same key and gets the original result.
    for (const fault of [{ status: 500 as const }, { status: 500 as const, drop: true }]) {
      const count = (await stripe.paymentIntents.list({ limit: 100 })).data.length;
      await clock.injectFault({
        path: '/v1/payment_intents',
        method: 'POST',
        after: true,
        ...fault,
      });
      const created = await t.app.get(ChargesService).create({
        amount: 2_500,
        currency: 'usd',
        paymentMethod: 'pm_card_bypassPending',
        destination: seller,
      });
      expect(created.status).toBe('succeeded');
      expect((await stripe.paymentIntents.list({ limit: 100 })).data.length).toBe(count + 1);
      expect(await db.getRepository(Charge).countBy({ id: created.id })).toBe(1);
    }

    // The same for a transfer and a payout.
    const transfers = t.app.get(TransfersService);
    const transfersBefore = (await stripe.transfers.list({ limit: 100 })).data.length;
    await clock.injectFault({ path: '/v1/transfers', method: 'POST', status: 500, after: true });
    const transfer = await transfers.create({
      amount: 1_000,
      currency: 'usd',
      destination: seller,
    });
    expect((await stripe.transfers.list({ limit: 100 })).data.length).toBe(transfersBefore + 1);
    expect(await db.getRepository(Transfer).countBy({ id: transfer.id })).toBe(1);

    const payoutsBefore = (await stripe.payouts.list({ limit: 100 }, { stripeAccount: seller }))
      .data.length;
    await clock.injectFault({
      path: '/v1/payouts',
      method: 'POST',
      status: 500,
      after: true,
      drop: true,
    });
    const payout = await transfers.payout({ id: 'once-seller', platform: false }, seller, {
      amount: 1_000,
      currency: 'usd',
    });
    expect((await stripe.payouts.list({ limit: 100 }, { stripeAccount: seller })).data.length).toBe(
      payoutsBefore + 1,
    );
    expect(await db.getRepository(Payout).countBy({ id: payout.id })).toBe(1);
  });
});
