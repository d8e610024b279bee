/** The caller's platform customer over REST, and a destination charge paid by it (pinax-stripe parity). */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { Customer, STRIPE_CLIENT } from '../src/stripe-connect/index.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('platform customers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
  });
  afterAll(() => t.close());

  it('creates the caller’s platform customer once, and a destination charge with it', async () => {
    const buyer = `Bearer ${await t.token('platform-buyer')}`;
    await request(t.app.getHttpServer())
      .get('/connect/customers/me')
      .set('Authorization', buyer)
      .expect(404);
    const created = await request(t.app.getHttpServer())
      .post('/connect/customers')
      .set('Authorization', buyer)
      .send({ email: 'pb@example.com', name: 'Pat Buyer' })
      .expect(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^cus_/),
      accountId: null,
      email: 'pb@example.com',
      name: 'Pat Buyer',
    });
    const again = await request(t.app.getHttpServer())
      .post('/connect/customers')
      .set('Authorization', buyer)
      .send({})
      .expect(200);
    expect(again.body.id).toBe(created.body.id);
    expect(
      (
        await request(t.app.getHttpServer())
          .get('/connect/customers/me')
          .set('Authorization', buyer)
          .expect(200)
      ).body.id,
    ).toBe(created.body.id);
    await request(t.app.getHttpServer())
      .post('/connect/customers')
      .set('Authorization', buyer)
      .send({ email: 'not-an-email' })
      .expect(400);

    const seller = (
      await request(t.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', `Bearer ${await t.token('platform-seller')}`)
        .send(sellerForm())
        .expect(201)
    ).body.id as string;
    const platform = `Bearer ${await t.token('back-office', { platform: true })}`;
    const charge = await request(t.app.getHttpServer())
      .post('/connect/charges')
      .set('Authorization', platform)
      .send({
        amount: 2_500,
        currency: 'usd',
        customer: created.body.id,
        paymentMethod: 'pm_card_visa',
        destination: seller,
        onBehalfOf: seller,
        applicationFeeAmount: 250,
      })
      .expect(201);
    expect(charge.body).toMatchObject({
      status: 'succeeded',
      customerId: created.body.id,
      destinationAccountId: seller,
    });
    const listed = await request(t.app.getHttpServer())
      .get(`/connect/customers?platform=true`)
      .set('Authorization', platform)
      .expect(200);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    expect(
      (
        await request(t.app.getHttpServer())
          .get(`/connect/charges?customer=${created.body.id as string}`)
          .set('Authorization', platform)
          .expect(200)
      ).body.data,
    ).toHaveLength(1);
  });

  describe('a saved card', () => {
    let seller: string;
    let platform: string;
    const server = () => t.app.getHttpServer();

    beforeAll(async () => {
      seller = (
        await request(server())
          .post('/connect/accounts/custom')
          .set('Authorization', `Bearer ${await t.token('card-seller')}`)
          .send(sellerForm())
          .expect(201)
      ).body.id as string;
      platform = `Bearer ${await t.token('back-office', { platform: true })}`;
    });

    const charge = (body: object, key?: string) => {
      const call = request(server()).post('/connect/charges').set('Authorization', platform);
      if (key) call.set('Idempotency-Key', key);
      return call.send({ amount: 4_000, currency: 'usd', destination: seller, ...body });
    };

    it('is saved with the customer, charged by a destination charge when none is given, and replaced', async () => {
      const buyer = `Bearer ${await t.token('card-buyer')}`;
      const created = await request(server())
        .post('/connect/customers')
        .set('Authorization', buyer)
        .send({ email: 'card@example.com', paymentMethod: 'pm_card_visa' })
        .expect(201);
      const saved = created.body.defaultPaymentMethod as { id: string; card: object };
      // Stripe copies its test payment method into one of the customer's own.
      expect(saved.id).toMatch(/^pm_/);
      expect(saved.id).not.toBe('pm_card_visa');
      expect(saved.card).toEqual({ brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034 });
      const row = await t.app
        .get(DataSource)
        .getRepository(Customer)
        .findOneByOrFail({
          id: created.body.id as string,
        });
      expect(row).toMatchObject({
        defaultPaymentMethodId: saved.id,
        defaultCard: { id: saved.id, brand: 'visa', last4: '4242' },
      });
      expect(JSON.stringify(row.raw)).not.toContain('4242424242424242');

      // pinax-stripe's charges.create(amount, customer, destination_account=…): the saved card pays.
      const paid = await charge({ customer: created.body.id, applicationFeeAmount: 400 }).expect(
        201,
      );
      expect(paid.body).toMatchObject({
        status: 'succeeded',
        customerId: created.body.id,
        destinationAccountId: seller,
      });
      const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
      const intent = await stripe.paymentIntents.retrieve(paid.body.id as string);
      expect(intent).toMatchObject({ payment_method: saved.id, on_behalf_of: null });
      // With on_behalf_of too.
      await charge({ customer: created.body.id, onBehalfOf: seller }).expect(201);

      // Replaced: the new card is the default, the old one detached.
      const replaced = await request(server())
        .put('/connect/customers/me/payment-method')
        .set('Authorization', buyer)
        .send({ paymentMethod: 'pm_card_mastercard' })
        .expect(200);
      expect(replaced.body.defaultPaymentMethod.card).toMatchObject({
        brand: 'mastercard',
        last4: '4444',
      });
      const cards = await stripe.customers.listPaymentMethods(created.body.id as string);
      expect(cards.data.map((pm) => pm.id)).toEqual([replaced.body.defaultPaymentMethod.id]);
      // The webhooks that follow (customer.updated, unexpanded) keep the card of the default.
      await new SandboxClient(t.app.get(EmbeddedSandbox).url).advance(0);
      const me = await request(server())
        .get('/connect/customers/me')
        .set('Authorization', buyer)
        .expect(200);
      expect(me.body.defaultPaymentMethod).toEqual(replaced.body.defaultPaymentMethod);
      // payment_method.attached / .detached and customer.updated were taken, none failed.
      const failed = await request(server())
        .get('/connect/events?status=failed')
        .set('Authorization', platform)
        .expect(200);
      expect(failed.body.data).toEqual([]);
      const attached = await request(server())
        .get('/connect/events?type=payment_method.attached')
        .set('Authorization', platform)
        .expect(200);
      expect(attached.body.data.length).toBeGreaterThan(0);
    });

    it('refuses a declining test card, an unknown one, another customer’s card, and a charge with nothing saved', async () => {
      const buyer = `Bearer ${await t.token('card-refused')}`;
      const declined = await request(server())
        .post('/connect/customers')
        .set('Authorization', buyer)
        .send({ paymentMethod: 'pm_card_visa_chargeDeclined' });
      expect(declined.status).toBe(402);
      expect(declined.body).toMatchObject({
        code: 'card_declined',
        declineCode: 'generic_decline',
      });
      const customer = (
        await request(server()).get('/connect/customers/me').set('Authorization', buyer).expect(200)
      ).body as { id: string; defaultPaymentMethod: unknown };
      expect(customer.defaultPaymentMethod).toBeNull();
      const unknown = await request(server())
        .put('/connect/customers/me/payment-method')
        .set('Authorization', buyer)
        .send({ paymentMethod: 'pm_doesnotexist' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toHaveProperty('paymentMethod');
      const badShape = await request(server())
        .put('/connect/customers/me/payment-method')
        .set('Authorization', buyer)
        .send({ paymentMethod: '4242424242424242' });
      expect(badShape.status).toBe(400);
      expect(JSON.stringify(badShape.body)).not.toContain('4242424242424242');

      const nothing = await charge({ customer: customer.id });
      expect(nothing.status).toBe(400);
      expect(nothing.body.errors).toHaveProperty('paymentMethod');
      expect((await charge({})).body.errors).toHaveProperty('paymentMethod');
      expect((await charge({ customer: 'cus_missing' })).body.errors).toHaveProperty('customer');

      // Another customer's saved card: Stripe refuses it for this customer.
      const other = `Bearer ${await t.token('card-other')}`;
      const theirs = (
        await request(server())
          .post('/connect/customers')
          .set('Authorization', other)
          .send({ paymentMethod: 'pm_card_visa' })
          .expect(201)
      ).body as { defaultPaymentMethod: { id: string } };
      const stolen = await charge({
        customer: customer.id,
        paymentMethod: theirs.defaultPaymentMethod.id,
      });
      expect(stolen.status).toBe(400);
      expect(stolen.body.errors).toHaveProperty('paymentMethod');
      // The same card cannot be saved to this customer either.
      const taken = await request(server())
        .put('/connect/customers/me/payment-method')
        .set('Authorization', buyer)
        .send({ paymentMethod: theirs.defaultPaymentMethod.id });
      expect(taken.status).toBe(400);
    });

    it('lets the platform save a card for any platform customer, and nobody else', async () => {
      const buyer = `Bearer ${await t.token('card-by-platform')}`;
      const { id } = (
        await request(server()).post('/connect/customers').set('Authorization', buyer).send({})
      ).body as { id: string };
      await request(server())
        .put(`/connect/customers/${id}/payment-method`)
        .set('Authorization', `Bearer ${await t.token('card-intruder')}`)
        .send({ paymentMethod: 'pm_card_visa' })
        .expect(403);
      const saved = await request(server())
        .put(`/connect/customers/${id}/payment-method`)
        .set('Authorization', platform)
        .set('Idempotency-Key', 'save-card-1')
        .send({ paymentMethod: 'pm_card_amex' })
        .expect(200);
      expect(saved.body.defaultPaymentMethod.card).toMatchObject({ brand: 'amex' });
      // Retried with its key: nothing attached twice.
      const retried = await request(server())
        .put(`/connect/customers/${id}/payment-method`)
        .set('Authorization', platform)
        .set('Idempotency-Key', 'save-card-1')
        .send({ paymentMethod: 'pm_card_amex' })
        .expect(200);
      expect(retried.body.defaultPaymentMethod.id).toBe(saved.body.defaultPaymentMethod.id);
      const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
      expect((await stripe.customers.listPaymentMethods(id)).data).toHaveLength(1);
      await request(server())
        .put('/connect/customers/cus_nobody/payment-method')
        .set('Authorization', platform)
        .send({ paymentMethod: 'pm_card_visa' })
        .expect(404);
    });
  });
});
