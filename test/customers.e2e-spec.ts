/** Connected customers through REST and the service, against the embedded sandbox. */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Customer,
  CustomersService,
  STRIPE_CLIENT,
  UserAccount,
} from '../src/stripe-connect/index.js';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('connected customers', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;
  let seller: string;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    const created = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', `Bearer ${await t.token('seller')}`)
      .send(sellerForm())
      .expect(201);
    seller = created.body.id as string;
  });
  afterAll(() => t.close());

  const become = async (buyer: string, body: object = {}) =>
    request(t.app.getHttpServer())
      .post(`/connect/accounts/${seller}/customers`)
      .set('Authorization', `Bearer ${await t.token(buyer)}`)
      .send(body);

  it('makes a buyer a customer of the seller’s account once, and finds it again', async () => {
    await request(t.app.getHttpServer())
      .get(`/connect/accounts/${seller}/customers/me`)
      .set('Authorization', `Bearer ${await t.token('buyer-1')}`)
      .expect(404);
    const first = await become('buyer-1', { email: 'buyer@example.com', name: 'Bea Buyer' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: expect.stringMatching(/^cus_/),
      accountId: seller,
      email: 'buyer@example.com',
      name: 'Bea Buyer',
    });
    const again = await become('buyer-1');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const me = await request(t.app.getHttpServer())
      .get(`/connect/accounts/${seller}/customers/me`)
      .set('Authorization', `Bearer ${await t.token('buyer-1')}`)
      .expect(200);
    expect(me.body.id).toBe(first.body.id);
    // The customer lives on the seller's account at Stripe.
    await expect(
      stripe.customers.retrieve(first.body.id as string, {}, { stripeAccount: seller }),
    ).resolves.toMatchObject({ metadata: { user_id: 'buyer-1' } });
    expect(
      await db.getRepository(UserAccount).findOneByOrFail({ userId: 'buyer-1', accountId: seller }),
    ).toMatchObject({ customerId: first.body.id });
  });

  it('replaces and relinks a customer Stripe no longer has, keeping one link', async () => {
    const first = await become('buyer-2');
    await stripe.customers.del(first.body.id as string, {}, { stripeAccount: seller });
    const replaced = await become('buyer-2');
    expect(replaced.status).toBe(201);
    expect(replaced.body.id).not.toBe(first.body.id);
    const links = await db
      .getRepository(UserAccount)
      .findBy({ userId: 'buyer-2', accountId: seller });
    expect(links.map((l) => l.customerId)).toEqual([replaced.body.id]);
  });

  it('ends concurrent creates with one customer and one link', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => become('buyer-3')));
    expect(responses.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await db.getRepository(UserAccount).countBy({ userId: 'buyer-3' })).toBe(1);
    const remote = await stripe.customers.list({ limit: 100 }, { stripeAccount: seller });
    expect(remote.data.filter((c) => c.metadata.user_id === 'buyer-3')).toHaveLength(1);
  });

  it('refuses an account that does not exist or cannot take payments', async () => {
    const unknown = await request(t.app.getHttpServer())
      .post('/connect/accounts/acct_nothere/customers')
      .set('Authorization', `Bearer ${await t.token('buyer-4')}`)
      .send({})
      .expect(404);
    expect(unknown.body.code).toBe('account_not_found');
    const pending = await stripe.accounts.create({ type: 'custom', country: 'US' });
    await db.query(`INSERT INTO stripe_accounts (id, type) VALUES ($1, 'custom')`, [pending.id]);
    const refused = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${pending.id}/customers`)
      .set('Authorization', `Bearer ${await t.token('buyer-4')}`)
      .send({})
      .expect(409);
    expect(refused.body.code).toBe('account_not_enabled');
  });

  it('keeps one platform customer per user through the service', async () => {
    const customers = t.app.get(CustomersService);
    const first = await customers.create('platform-buyer', { email: 'p@example.com' });
    const again = await customers.create('platform-buyer');
    expect(again.customer.id).toBe(first.customer.id);
    expect(again.created).toBe(false);
    expect(
      await db.getRepository(Customer).findOneByOrFail({ id: first.customer.id }),
    ).toMatchObject({ accountId: null, userId: 'platform-buyer' });
    expect((await customers.getCustomerForUser('platform-buyer'))?.id).toBe(first.customer.id);
  });
});
