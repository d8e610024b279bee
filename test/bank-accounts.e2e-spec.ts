/** Bank accounts of a custom account: remove one, make one the default for its currency (pinax-stripe parity). */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Bank {
  id: string;
  defaultForCurrency: boolean;
  currency: string;
}

describe('bank accounts: delete and default', () => {
  let t: TestApp;
  let owner: string;
  let account: string;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    owner = `Bearer ${await t.token('bank-owner')}`;
    account = (
      await request(t.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', owner)
        .send(sellerForm())
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  const banks = async () =>
    (
      await request(t.app.getHttpServer())
        .get(`/connect/accounts/${account}/external-accounts`)
        .set('Authorization', owner)
        .expect(200)
    ).body as Bank[];

  it('keeps the default bank account, switches the default, then removes the old one', async () => {
    const [first] = await banks();
    expect(first.defaultForCurrency).toBe(true);
    const refused = await request(t.app.getHttpServer())
      .delete(`/connect/accounts/${account}/external-accounts/${first.id}`)
      .set('Authorization', owner)
      .expect(400);
    expect(Object.keys(refused.body.errors as object)).toEqual(['externalAccount']);
    const second = (
      await request(t.app.getHttpServer())
        .post(`/connect/accounts/${account}/external-accounts`)
        .set('Authorization', owner)
        .send({
          bankAccount: {
            accountHolderName: 'Sam Seller',
            routingNumber: '110000000',
            accountNumber: '000999999991',
          },
        })
        .expect(201)
    ).body as Bank;
    expect(second.defaultForCurrency).toBe(false);
    const promoted = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${account}/external-accounts/${second.id}/default`)
      .set('Authorization', owner)
      .expect(200);
    expect(promoted.body).toMatchObject({ id: second.id, defaultForCurrency: true });
    expect((await banks()).find((b) => b.id === first.id)?.defaultForCurrency).toBe(false);
    const removed = await request(t.app.getHttpServer())
      .delete(`/connect/accounts/${account}/external-accounts/${first.id}`)
      .set('Authorization', owner)
      .expect(200);
    expect(removed.body).toEqual({ id: first.id, deleted: true });
    expect((await banks()).map((b) => b.id)).toEqual([second.id]);
  });

  it('answers 404 for another user’s account or an unknown bank account', async () => {
    const stranger = `Bearer ${await t.token('stranger')}`;
    const [bank] = await banks();
    await request(t.app.getHttpServer())
      .delete(`/connect/accounts/${account}/external-accounts/${bank.id}`)
      .set('Authorization', stranger)
      .expect(404);
    await request(t.app.getHttpServer())
      .post(`/connect/accounts/${account}/external-accounts/${bank.id}/default`)
      .set('Authorization', stranger)
      .expect(404);
    await request(t.app.getHttpServer())
      .delete(`/connect/accounts/${account}/external-accounts/ba_unknown`)
      .set('Authorization', owner)
      .expect(404);
  });
});
