/** The back office's lists (charges, refunds, fees, transfers, payouts, customers, events) and balance. */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { StripeEvent } from '../src/stripe-connect/index.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { eventOf } from './support/stripe-events.js';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface ListBody<T = Record<string, unknown>> {
  object: string;
  data: T[];
  hasMore: boolean;
}

describe('back-office lists', () => {
  let t: TestApp;
  let platform: string;
  let sellerA: string;
  let sellerB: string;
  const charges: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    platform = `Bearer ${await t.token('back-office', { platform: true })}`;
    const newSeller = async (user: string) =>
      (
        await request(t.app.getHttpServer())
          .post('/connect/accounts/custom')
          .set('Authorization', `Bearer ${await t.token(user)}`)
          .send(sellerForm())
          .expect(201)
      ).body.id as string;
    sellerA = await newSeller('seller-a');
    sellerB = await newSeller('seller-b');
    for (const [destination, amount] of [
      [undefined, 5_000],
      [sellerA, 1_000],
      [sellerA, 2_000],
      [sellerB, 3_000],
      [sellerA, 4_000],
    ] as const) {
      const response = await request(t.app.getHttpServer())
        .post('/connect/charges')
        .set('Authorization', platform)
        .send({
          amount,
          currency: 'usd',
          paymentMethod: 'pm_card_bypassPending',
          ...(destination ? { destination, applicationFeeAmount: 100 } : {}),
        })
        .expect(201);
      charges.push(response.body.id as string);
    }
    await request(t.app.getHttpServer())
      .post(`/connect/charges/${charges[1]}/refunds`)
      .set('Authorization', platform)
      .send({ amount: 500 })
      .expect(201);
    await request(t.app.getHttpServer())
      .post('/connect/transfers')
      .set('Authorization', platform)
      .send({ amount: 300, currency: 'usd', destination: sellerB })
      .expect(201);
    await request(t.app.getHttpServer())
      .post(`/connect/accounts/${sellerA}/customers`)
      .set('Authorization', `Bearer ${await t.token('buyer-1')}`)
      .send({ email: 'buyer@example.com' })
      .expect(201);
    // Every webhook the sandbox sent (the destination charges' transfers among them) is processed.
    await new SandboxClient(t.app.get(EmbeddedSandbox).url).advance(0);
  });
  afterAll(() => t.close());

  const get = async (path: string, auth = platform) =>
    request(t.app.getHttpServer()).get(path).set('Authorization', auth);

  it('pages charges newest first with limit and startingAfter, to the end', async () => {
    const first = await get('/connect/charges?limit=3');
    expect(first.status).toBe(200);
    const body = first.body as ListBody<{ id: string }>;
    expect(body.object).toBe('list');
    expect(body.data.map((c) => c.id)).toEqual([...charges].reverse().slice(0, 3));
    expect(body.hasMore).toBe(true);
    const second = (await get(`/connect/charges?limit=3&startingAfter=${body.data[2].id}`))
      .body as ListBody<{ id: string }>;
    expect(second.data.map((c) => c.id)).toEqual([charges[1], charges[0]]);
    expect(second.hasMore).toBe(false);
  });

  it('filters charges by account, status and time', async () => {
    const ofA = (await get(`/connect/charges?account=${sellerA}`)).body as ListBody<{
      destinationAccountId: string;
    }>;
    expect(ofA.data).toHaveLength(3);
    expect(ofA.data.every((c) => c.destinationAccountId === sellerA)).toBe(true);
    expect(
      ((await get('/connect/charges?status=requires_capture')).body as ListBody).data,
    ).toHaveLength(0);
    expect(((await get('/connect/charges?status=succeeded')).body as ListBody).data).toHaveLength(
      5,
    );
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(
      ((await get(`/connect/charges?createdFrom=${future}`)).body as ListBody).data,
    ).toHaveLength(0);
    expect(
      ((await get(`/connect/charges?createdTo=${future}&createdFrom=2020-01-01`)).body as ListBody)
        .data,
    ).toHaveLength(5);
  });

  it('answers bad list queries with 400 and field errors', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['startingAfter=pi_nope', 'startingAfter'],
      ['account=cus_1', 'account'],
      ['status=lost', 'status'],
      ['createdFrom=yesterday', 'createdFrom'],
      ['sort=amount', 'sort'],
    ]) {
      const response = await get(`/connect/charges?${query}`);
      expect(response.status, query).toBe(400);
      expect(Object.keys((response.body as { errors: object }).errors), query).toContain(field);
    }
  });

  it('lets owners see their own account’s charges, payouts and transfers, and nothing else', async () => {
    const owner = `Bearer ${await t.token('seller-a')}`;
    const mine = await get(`/connect/charges?account=${sellerA}`, owner);
    expect(mine.status).toBe(200);
    expect((mine.body as ListBody).data).toHaveLength(3);
    expect((await get(`/connect/charges?account=${sellerB}`, owner)).status).toBe(404);
    expect((await get('/connect/charges', owner)).status).toBe(400);
    expect((await get(`/connect/payouts?account=${sellerA}`, owner)).status).toBe(200);
    expect((await get(`/connect/transfers?account=${sellerB}`, owner)).status).toBe(404);
    const theirs = await get(
      `/connect/transfers?account=${sellerB}`,
      `Bearer ${await t.token('seller-b')}`,
    );
    expect(
      (theirs.body as ListBody<{ amount: number }>).data.map((x) => x.amount).sort((a, b) => a - b),
    ).toEqual([300, 2_900]);
    for (const path of [
      '/connect/refunds',
      '/connect/application-fees',
      '/connect/customers',
      '/connect/events',
      '/connect/balance',
    ])
      expect((await get(path, owner)).status, path).toBe(403);
  });

  it('lists refunds, application fees, transfers, payouts and connected customers', async () => {
    const refunds = (await get(`/connect/refunds?charge=${charges[1]}`)).body as ListBody<{
      amount: number;
    }>;
    expect(refunds.data.map((r) => r.amount)).toEqual([500]);
    expect(((await get(`/connect/refunds?account=${sellerB}`)).body as ListBody).data).toHaveLength(
      0,
    );
    const fees = await get(`/connect/application-fees?account=${sellerA}&refunded=false`);
    expect(fees.status).toBe(200);
    expect((fees.body as ListBody<{ amount: number }>).data.every((f) => f.amount === 100)).toBe(
      true,
    );
    const transfers = (await get('/connect/transfers?limit=100')).body as ListBody;
    expect(transfers.data.length).toBeGreaterThanOrEqual(1);
    expect((await get('/connect/payouts?status=paid')).status).toBe(200);
    const customers = (await get(`/connect/customers?account=${sellerA}`)).body as ListBody<{
      email: string;
      accountId: string;
    }>;
    expect(customers.data).toEqual([
      expect.objectContaining({ email: 'buyer@example.com', accountId: sellerA }),
    ]);
    expect(((await get('/connect/customers?platform=true')).body as ListBody).data).toHaveLength(0);
  });

  it('reads the platform’s own balance', async () => {
    const response = await get('/connect/balance');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      available: expect.any(Array),
      pending: expect.any(Array),
    });
  });

  it('lists failed events with their errors and replays one', async () => {
    const db = t.app.get(DataSource);
    const broken = eventOf('customer.updated', { id: 'cus_back_office', object: 'customer' });
    await db.getRepository(StripeEvent).insert({
      id: broken.id,
      type: broken.type,
      accountId: null,
      livemode: false,
      apiVersion: '2026-10-28.endive',
      stripeCreatedAt: new Date(broken.created * 1000),
      payload: broken as never,
      status: 'failed',
      attempts: 1,
      lastError: 'a listener was down',
    });
    const failed = (await get('/connect/events?status=failed')).body as ListBody<{
      id: string;
      lastError: string;
    }>;
    expect(failed.data).toEqual([
      expect.objectContaining({ id: broken.id, lastError: 'a listener was down' }),
    ]);
    const all = (await get('/connect/events?limit=100')).body as ListBody<{ status: string }>;
    expect(all.data.length).toBeGreaterThan(1);
    expect((await get(`/connect/events?account=${sellerA}&limit=100`)).status).toBe(200);
    const replayed = await request(t.app.getHttpServer())
      .post(`/connect/events/${broken.id}/replay`)
      .set('Authorization', platform)
      .expect(200);
    expect(replayed.body).toMatchObject({ id: broken.id, status: 'processed', attempts: 2 });
    await request(t.app.getHttpServer())
      .post('/connect/events/evt_missing/replay')
      .set('Authorization', platform)
      .expect(404);
    expect((await get(`/connect/events/${broken.id}`)).body).toMatchObject({ status: 'processed' });
  });
});
