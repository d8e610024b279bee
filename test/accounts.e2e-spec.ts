/** Custom account onboarding through REST with JWTs, against the embedded sandbox. */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, STRIPE_CLIENT } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const US_FORM = {
  country: 'US',
  businessType: 'individual',
  email: 'jane@example.com',
  individual: {
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane@example.com',
    phone: '0000000000',
    dob: { day: 1, month: 1, year: 1901 },
    address: {
      line1: 'address_full_match',
      city: 'San Francisco',
      state: 'CA',
      postalCode: '94103',
    },
    idNumber: '000000000',
  },
  bankAccount: {
    accountHolderName: 'Jane Doe',
    routingNumber: '110000000',
    accountNumber: '000123456789',
  },
  businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
  tosAccepted: true,
};

describe('custom account onboarding', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
  });
  afterAll(() => t.close());

  const post = async (userId: string, body: object, headers: Record<string, string> = {}) =>
    request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', `Bearer ${await t.token(userId)}`)
      .set('User-Agent', 'Onboarding test browser')
      .set(headers)
      .send(body);

  it('creates a US individual with Stripe’s test values, enabled for charges and payouts, owned by the caller', async () => {
    const response = await post('seller-1', US_FORM);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^acct_/),
      type: 'custom',
      userId: 'seller-1',
      country: 'US',
      defaultCurrency: 'usd',
      chargesEnabled: true,
      payoutsEnabled: true,
      capabilities: { card_payments: 'active', transfers: 'active' },
      requirements: { currentlyDue: [], pastDue: [] },
      externalAccounts: [
        { object: 'bank_account', last4: '6789', currency: 'usd', defaultForCurrency: true },
      ],
    });
    // Nothing secret comes back.
    expect(JSON.stringify(response.body)).not.toContain('000123456789');
    expect(JSON.stringify(response.body)).not.toContain('000000000');

    const stored = await db
      .getRepository(Account)
      .findOneByOrFail({ id: response.body.id as string });
    expect(stored.userId).toBe('seller-1');
    // The terms acceptance carries the date, the user agent and the connection's IP.
    const remote = await stripe.accounts.retrieve(stored.id);
    expect(remote.tos_acceptance).toMatchObject({
      ip: expect.stringMatching(/127\.0\.0\.1/),
      user_agent: 'Onboarding test browser',
    });
    expect(remote.tos_acceptance!.date).toBeGreaterThan(1_700_000_000);
    expect(remote.metadata).toEqual({ user_id: 'seller-1' });
  });

  it('refuses a bad form with errors per field before calling Stripe', async () => {
    const before = (await stripe.accounts.list({ limit: 100 })).data.length;
    const shape = await post('seller-2', {
      ...US_FORM,
      tosAccepted: false,
      individual: { ...US_FORM.individual, dob: { day: 1, month: 13, year: 1901 } },
      admin: true,
    });
    expect(shape.status).toBe(400);
    expect(Object.keys(shape.body.errors).sort()).toEqual([
      'admin',
      'individual.dob.month',
      'tosAccepted',
    ]);

    const rules = await post('seller-2', {
      ...US_FORM,
      bankAccount: { ...US_FORM.bankAccount, routingNumber: '110000001' },
      individual: {
        ...US_FORM.individual,
        address: { ...US_FORM.individual.address, state: 'XX' },
      },
    });
    expect(rules.status).toBe(400);
    expect(rules.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(Object.keys(rules.body.errors).sort()).toEqual([
      'bankAccount.routingNumber',
      'individual.address.state',
    ]);
    expect((await stripe.accounts.list({ limit: 100 })).data.length).toBe(before);
  });

  it('answers 400, not 500, when nested parts of the form are missing', async () => {
    const bare = await post('seller-bare', {
      country: 'US',
      businessType: 'individual',
      tosAccepted: true,
    });
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.errors).sort()).toEqual(['bankAccount', 'individual']);
    const company = await post('seller-bare', {
      country: 'US',
      businessType: 'company',
      tosAccepted: true,
      bankAccount: US_FORM.bankAccount,
    });
    expect(company.status).toBe(400);
    expect(Object.keys(company.body.errors)).toEqual(['company']);
  });

  it('replays an Idempotency-Key submitted again later, with the first account', async () => {
    const key = `later-${Date.now()}`;
    const first = await post('seller-later', US_FORM, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a second later: another acceptance date
    const again = await post('seller-later', US_FORM, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await db.getRepository(Account).countBy({ userId: 'seller-later' })).toBe(1);
    // The account's email defaults to the individual's.
    expect(first.body.email).toBe('jane@example.com');
  });

  it('puts Stripe’s own rejection on the form field its param names, storing nothing', async () => {
    const count = await db.getRepository(Account).count();
    const young = await post('seller-3', {
      ...US_FORM,
      individual: {
        ...US_FORM.individual,
        dob: { day: 1, month: 1, year: new Date().getUTCFullYear() - 5 },
      },
    });
    expect(young.status).toBe(400);
    expect(young.body.errors).toEqual({ 'individual.dob.year': [expect.stringContaining('13')] });
    expect(await db.getRepository(Account).count()).toBe(count);
  });

  it('creates one account for a double submission with one Idempotency-Key', async () => {
    const key = `submit-${Date.now()}`;
    const [first, second] = await Promise.all([
      post('seller-4', US_FORM, { 'Idempotency-Key': key }),
      post('seller-4', US_FORM, { 'Idempotency-Key': key }),
    ]);
    const statuses = [first.status, second.status].sort();
    // Either both answer the one account, or the second arrived while the first was running (409).
    expect(statuses[0]).toBe(201);
    const again = await post('seller-4', US_FORM, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.status === 201 ? first.body.id : second.body.id);
    expect(await db.getRepository(Account).countBy({ userId: 'seller-4' })).toBe(1);
    // Another user's identical key is another account.
    const other = await post('seller-5', US_FORM, { 'Idempotency-Key': key });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(again.body.id);
  });

  it('creates a company with its representative', async () => {
    const response = await post('company-owner', {
      country: 'GB',
      businessType: 'company',
      company: {
        name: 'Acme Ltd',
        taxId: '000000000',
        phone: '+442071234567',
        address: { line1: 'address_full_match', city: 'London', postalCode: 'SW1A 1AA' },
        representative: {
          ...US_FORM.individual,
          idNumber: undefined,
          address: { line1: 'address_full_match', city: 'London', postalCode: 'SW1A 1AA' },
          title: 'Director',
        },
      },
      bankAccount: {
        accountHolderName: 'Acme Ltd',
        accountHolderType: 'company',
        sortCode: '10-88-00',
        accountNumber: '00012345',
      },
      tosAccepted: true,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ businessType: 'company', defaultCurrency: 'gbp' });
    expect(response.body.requirements.currentlyDue).not.toContain('relationship.representative');
    const persons = await stripe.accounts.listPersons(response.body.id as string);
    expect(persons.data).toHaveLength(1);
    expect(persons.data[0]).toMatchObject({
      first_name: 'Jane',
      relationship: { representative: true, title: 'Director' },
    });
  });

  it('shows users their own accounts only; another user’s account is 404; the platform sees all', async () => {
    const mine = await request(t.app.getHttpServer())
      .get('/connect/accounts')
      .set('Authorization', `Bearer ${await t.token('seller-1')}`)
      .expect(200);
    expect(mine.body).toMatchObject({ object: 'list', hasMore: false });
    expect(mine.body.data.map((a: { userId: string }) => a.userId)).toEqual(['seller-1']);
    const id = mine.body.data[0].id as string;
    await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}`)
      .set('Authorization', `Bearer ${await t.token('seller-1')}`)
      .expect(200);
    const theirs = await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}`)
      .set('Authorization', `Bearer ${await t.token('someone-else')}`)
      .expect(404);
    expect(theirs.body).toMatchObject({ statusCode: 404, code: 'account_not_found' });
    await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}`)
      .set('Authorization', `Bearer ${await t.token('back-office', { platform: true })}`)
      .expect(200);
    const all = await request(t.app.getHttpServer())
      .get('/connect/accounts?limit=100')
      .set('Authorization', `Bearer ${await t.token('back-office', { platform: true })}`)
      .expect(200);
    expect(new Set(all.body.data.map((a: { userId: string }) => a.userId)).size).toBeGreaterThan(2);
    await request(t.app.getHttpServer()).get('/connect/accounts').expect(401);
  });

  it('pages GET /connect/accounts by cursor, newest first, and filters by type, status and user', async () => {
    const platform = `Bearer ${await t.token('back-office', { platform: true })}`;
    const get = (query: string, auth = platform) =>
      request(t.app.getHttpServer()).get(`/connect/accounts${query}`).set('Authorization', auth);
    const all = (await get('?limit=100').expect(200)).body.data as {
      id: string;
      type: string;
      userId: string;
      chargesEnabled: boolean;
      payoutsEnabled: boolean;
    }[];
    expect(all.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = (await get(`?limit=2${after}`).expect(200)).body;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((a: { id: string }) => a.id));
      if (!page.hasMore) break;
      after = `&startingAfter=${page.data[page.data.length - 1].id}`;
    }
    expect(seen).toEqual(all.map((a) => a.id));

    const custom = (await get('?limit=100&type=custom').expect(200)).body.data as typeof all;
    expect(custom.map((a) => a.id)).toEqual(
      all.filter((a) => a.type === 'custom').map((a) => a.id),
    );
    const active = (await get('?limit=100&status=active').expect(200)).body.data as typeof all;
    expect(active.length).toBeGreaterThan(0);
    expect(active.every((a) => a.chargesEnabled && a.payoutsEnabled)).toBe(true);
    const restricted = (await get('?limit=100&status=restricted').expect(200)).body
      .data as typeof all;
    expect(restricted.every((a) => !(a.chargesEnabled && a.payoutsEnabled))).toBe(true);
    expect(active.length + restricted.length).toBe(all.length);
    const ofSeller = (await get('?limit=100&user=seller-1').expect(200)).body.data as typeof all;
    expect(ofSeller.map((a) => a.userId)).toEqual(['seller-1']);

    const seller = `Bearer ${await t.token('seller-1')}`;
    expect((await get('?user=seller-1', seller).expect(200)).body.data).toHaveLength(1);
    const refused = await get('?user=seller-2', seller).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403 });
    const bad = await get('?limit=0&type=premium&status=open&startingAfter=acct_nope').expect(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['limit', 'status', 'type']);
    expect((await get('?offset=10').expect(400)).body.errors).toHaveProperty('offset');
    const unknownCursor = await get('?startingAfter=acct_nope').expect(400);
    expect(unknownCursor.body.errors).toHaveProperty('startingAfter');
    // An owner's cursor is looked up among their own accounts only: someone else's account answers exactly
    // as an id that does not exist, so a cursor cannot tell an owner which ids exist.
    const someoneElses = all.find((a) => a.userId !== 'seller-1')!;
    const probe = await get(`?startingAfter=${someoneElses.id}`, seller).expect(400);
    const nothing = await get('?startingAfter=acct_nope', seller).expect(400);
    expect(probe.body.errors.startingAfter).toEqual([
      `No such object in this list: ${someoneElses.id}`,
    ]);
    expect(nothing.body.errors.startingAfter).toEqual(['No such object in this list: acct_nope']);
    const own = all.find((a) => a.userId === 'seller-1')!;
    expect((await get(`?startingAfter=${own.id}`, seller).expect(200)).body.data).toEqual([]);
  });

  it('adds bank accounts to a custom account by its country’s rules, and lists them', async () => {
    const created = await post('bank-seller', US_FORM);
    const id = created.body.id as string;
    const auth = `Bearer ${await t.token('bank-seller')}`;
    const added = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/external-accounts`)
      .set('Authorization', auth)
      .send({
        bankAccount: {
          accountHolderName: 'Jane Doe',
          routingNumber: '110000000',
          accountNumber: '000999999991',
        },
        defaultForCurrency: true,
      })
      .expect(201);
    expect(added.body).toMatchObject({
      object: 'bank_account',
      last4: '9991',
      currency: 'usd',
      defaultForCurrency: true,
    });
    const bad = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/external-accounts`)
      .set('Authorization', auth)
      .send({
        bankAccount: {
          accountHolderName: 'Jane Doe',
          routingNumber: '110000001',
          accountNumber: '000123456789',
        },
      })
      .expect(400);
    expect(Object.keys(bad.body.errors)).toEqual(['bankAccount.routingNumber']);
    const listed = await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}/external-accounts`)
      .set('Authorization', auth)
      .expect(200);
    expect(
      listed.body
        .map((e: { last4: string; defaultForCurrency: boolean }) => [e.last4, e.defaultForCurrency])
        .sort(),
    ).toEqual([
      ['6789', false],
      ['9991', true],
    ]);
    await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}/external-accounts`)
      .set('Authorization', `Bearer ${await t.token('not-the-owner')}`)
      .expect(404);
  });

  it('takes the terms acceptance IP from X-Forwarded-For only behind a trusted proxy', async () => {
    const proxied = await createTestApp({ stripe: 'sandbox', trustedProxies: ['loopback'] });
    try {
      const response = await request(proxied.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', `Bearer ${await proxied.token('proxied-user')}`)
        .set('X-Forwarded-For', '203.0.113.9')
        .send(US_FORM)
        .expect(201);
      const remote = await proxied.app
        .get<Stripe>(STRIPE_CLIENT)
        .accounts.retrieve(response.body.id as string);
      expect(remote.tos_acceptance!.ip).toBe('203.0.113.9');
    } finally {
      await proxied.close();
    }
    // Without a trusted proxy the header is ignored.
    const direct = await post('direct-user', US_FORM, { 'X-Forwarded-For': '203.0.113.9' });
    const remote = await stripe.accounts.retrieve(direct.body.id as string);
    expect(remote.tos_acceptance!.ip).not.toBe('203.0.113.9');
  });
});
