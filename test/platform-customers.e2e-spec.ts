/** The caller's platform customer over REST, and a destination charge paid by it (pinax-stripe parity). */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
