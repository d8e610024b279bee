/**
 * Issue 10's findings, each as its own regression test, against the real host app, the embedded sandbox and
 * this file's database: careless and hostile input answers 4xx in the library's error shape, never 5xx.
 */
import { SignJWT } from 'jose';
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Account,
  ExternalAccount,
  STRIPE_CLIENT,
  StripeEvent,
} from '../src/stripe-connect/index.js';
import { ONBOARDING_STATE_SECONDS } from '../src/stripe-connect/accounts/onboarding.service.js';
import { sellerForm } from './support/forms.js';
import { CapturingLogger } from './support/log-capture.js';
import { deliver, eventOf } from './support/stripe-events.js';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';

const CONNECT = '/stripe/webhooks/connect';
const PLATFORM = '/stripe/webhooks';

/** Opens a URL as a browser would, without following the redirect: answers where it sends the browser. */
async function visit(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location')!);
}

/** The app's own path and query of a URL built on its public URL. */
const local = (url: URL) => `${url.pathname}${url.search}`;

/** The documented error body: `{ statusCode, message, code, errors? }`. */
function expectErrorShape(body: Record<string, unknown>, status: number): void {
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  expect(typeof body.code).toBe('string');
}

describe('hardening regressions', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;
  const logs = new CapturingLogger();
  let seller: string;
  let sellerAuth: string;
  let platform: string;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox', logger: logs });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    sellerAuth = `Bearer ${await t.token('hardened-seller')}`;
    platform = `Bearer ${await t.token('back-office', { platform: true })}`;
    seller = (
      await request(t.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', sellerAuth)
        .send(sellerForm())
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();
  const secrets = () => {
    const config = t.config.stripe as { webhookSecrets: string[]; connectWebhookSecrets: string[] };
    return { platform: config.webhookSecrets[0], connect: config.connectWebhookSecrets[0] };
  };

  describe('input no route accepts (item 1)', () => {
    it('answers 400 to a NUL byte in a path id', async () => {
      const response = await request(server())
        .post('/connect/accounts/%00/login-link')
        .set('Authorization', sellerAuth)
        .send({})
        .expect(400);
      expectErrorShape(response.body, 400);
      expect(Object.keys(response.body.errors as object)).toEqual(['id']);
    });

    it('answers 400 to JSON nested 3,000 deep, within the size limit', async () => {
      const deep = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
      const response = await request(server())
        .post(`/connect/accounts/${seller}/verification`)
        .set('Authorization', sellerAuth)
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      expectErrorShape(response.body, 400);
      expect(JSON.stringify(response.body.errors)).toContain('nests deeper');
    });

    it('refuses a lone surrogate and a NUL in a value Stripe would echo back', async () => {
      const surrogate = sellerForm();
      surrogate.individual.firstName = 'Sam\ud800';
      const first = await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', sellerAuth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(surrogate))
        .expect(400);
      expect(first.body.errors['individual.firstName']).toBeDefined();

      const nul = await request(server())
        .post(`/connect/accounts/${seller}/external-accounts`)
        .set('Authorization', sellerAuth)
        .send({
          bankAccount: {
            accountHolderName: 'Jane\u0000Doe',
            routingNumber: '110000000',
            accountNumber: '000123456789',
          },
        })
        .expect(400);
      expect(nul.body.errors['bankAccount.accountHolderName']).toEqual([
        'must not contain the NUL character (\\u0000)',
      ]);
      // The account is not poisoned: a later bank-account change works.
      await request(server())
        .post(`/connect/accounts/${seller}/external-accounts`)
        .set('Authorization', sellerAuth)
        .send({
          bankAccount: {
            accountHolderName: 'Jane Doe',
            routingNumber: '110000000',
            accountNumber: '000123456789',
          },
        })
        .expect(201);
    });

    it('answers 400 to null or an array where a string or an object is expected', async () => {
      const form = sellerForm() as unknown as Record<string, Record<string, unknown>>;
      const withNull = structuredClone(form);
      withNull.bankAccount.routingNumber = null;
      const nullResponse = await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', sellerAuth)
        .send(withNull)
        .expect(400);
      expect(nullResponse.body.errors['bankAccount.routingNumber']).toBeDefined();
      const withArray = structuredClone(form);
      withArray.individual.address = [];
      const arrayResponse = await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', sellerAuth)
        .send(withArray)
        .expect(400);
      expect(arrayResponse.body.errors['individual.address']).toBeDefined();
    });

    it('answers 400 to toString and __proto__ keys in the verification form', async () => {
      for (const body of [
        '{"toString":"x"}',
        '{"__proto__":{"admin":true}}',
        '{"a":{"constructor":1}}',
      ]) {
        const response = await request(server())
          .post(`/connect/accounts/${seller}/verification`)
          .set('Authorization', sellerAuth)
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(400);
        expectErrorShape(response.body, 400);
      }
    });

    it('answers 413 to an oversized body and 400 to invalid JSON, in the library shape', async () => {
      const big = await request(server())
        .post('/connect/charges')
        .set('Authorization', platform)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ description: 'x'.repeat(200_000) }))
        .expect(413);
      expect(big.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
      const invalid = await request(server())
        .post('/connect/charges')
        .set('Authorization', platform)
        .set('Content-Type', 'application/json')
        .send('{"amount": 1,')
        .expect(400);
      expect(invalid.body).toMatchObject({ statusCode: 400, code: 'bad_request' });
    });

    it("gives Nest's own 401 and 404 the library's shape with a code", async () => {
      const anonymous = await request(server()).get('/connect/accounts').expect(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
      const missing = await request(server())
        .get('/connect/no-such-route')
        .set('Authorization', sellerAuth)
        .expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    });
  });

  describe('webhook deliveries (item 1)', () => {
    it('answers 400, not 500, to wrong content types and empty bodies, and logs why', async () => {
      logs.lines.length = 0;
      for (const type of ['text/plain', 'application/octet-stream']) {
        const response = await request(server())
          .post(PLATFORM)
          .set('Content-Type', type)
          .set('Stripe-Signature', 't=1,v1=abc')
          .send('{"id":"evt_1"}')
          .expect(400);
        expect(response.body).toMatchObject({ statusCode: 400, code: 'invalid_payload' });
      }
      await request(server()).post(CONNECT).set('Stripe-Signature', 't=1,v1=abc').expect(400);
      const warnings = logs.text('warn');
      expect(warnings).toContain('unsupported_content_type');
      expect(warnings).toContain('empty_body');
      expect(logs.text('error')).toBe('');
    });

    it('classifies each refusal and logs it at warn with the event id', async () => {
      const account = await stripe.accounts.retrieve(seller);
      const event = eventOf('account.updated', account, { account: seller });
      const cases: [request.Test, string][] = [
        [
          deliver(t.app, CONNECT, event, secrets().connect, { signature: null }),
          'missing_signature',
        ],
        [
          deliver(t.app, CONNECT, event, secrets().connect, { signature: 'garbage' }),
          'malformed_signature',
        ],
        [deliver(t.app, CONNECT, event, 'whsec_someone_else'), 'no_matching_signature'],
        [
          deliver(t.app, CONNECT, event, secrets().connect, {
            timestamp: Math.floor(Date.now() / 1000) - 301,
          }),
          'stale_timestamp',
        ],
        [deliver(t.app, CONNECT, '{"id":"evt_notjson"', secrets().connect), 'not_json'],
        [
          deliver(t.app, CONNECT, '{"id":"evt_x","object":"event"}', secrets().connect),
          'not_an_event',
        ],
      ];
      for (const [call, reason] of cases) {
        logs.lines.length = 0;
        const response = await call;
        expect(response.status, reason).toBe(400);
        expectErrorShape(response.body, 400);
        const warning = logs.lines.find((line) => line.level === 'warn')?.text ?? '';
        expect(warning, reason).toContain(reason);
        if (reason !== 'not_json' && reason !== 'not_an_event') expect(warning).toContain(event.id);
      }
    });

    it('stores and processes an event whose text PostgreSQL cannot store, made storable', async () => {
      const account = await stripe.accounts.retrieve(seller);
      const external = account.external_accounts!.data[0] as Stripe.BankAccount;
      const poisoned = {
        ...account,
        business_profile: { ...account.business_profile, name: 'Shop\u0000Name\ud800' },
        external_accounts: {
          ...account.external_accounts!,
          data: [{ ...external, account_holder_name: 'Jane\u0000Doe' }],
        },
      };
      const event = eventOf('account.updated', poisoned, {
        account: seller,
        created: Math.floor(Date.now() / 1000) + 5,
      });
      const response = await deliver(t.app, CONNECT, event, secrets().connect).expect(200);
      expect(response.body.outcome).toBe('processed');
      const stored = await db.getRepository(StripeEvent).findOneByOrFail({ id: event.id });
      expect(stored.status).toBe('processed');
      expect(JSON.stringify(stored.payload)).toContain('Jane\ufffdDoe');
      const row = await db.getRepository(ExternalAccount).findOneByOrFail({ id: external.id });
      expect(JSON.stringify(row.raw)).toContain('Jane\ufffdDoe');
    });
  });

  describe('authorization (item 2)', () => {
    it('answers a user 403 on a platform route before validating the body', async () => {
      const response = await request(server())
        .post('/connect/charges')
        .set('Authorization', sellerAuth)
        .send({ amount: 'lots', currency: null, admin: true })
        .expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'platform_only' });
    });

    it('answers another user 404 on an account route before reading the upload', async () => {
      const response = await request(server())
        .post(`/connect/accounts/${seller}/verification`)
        .set('Authorization', `Bearer ${await t.token('someone-else')}`)
        .attach('individual.verification.document.front', Buffer.alloc(11 * 1024 * 1024), {
          filename: 'big.png',
          contentType: 'image/png',
        });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'account_not_found' });
    });

    it('refuses to deauthorize a custom account, leaving the mirror as it was', async () => {
      const before = await db.getRepository(Account).findOneByOrFail({ id: seller });
      const response = await request(server())
        .post(`/connect/accounts/${seller}/deauthorize`)
        .set('Authorization', sellerAuth)
        .expect(400);
      expect(response.body.errors.account[0]).toMatch(/OAuth/);
      const after = await db.getRepository(Account).findOneByOrFail({ id: seller });
      expect(after.authorized).toBe(true);
      expect(after.userId).toBe(before.userId);
      // Its money routes keep working.
      await request(server())
        .get(`/connect/accounts/${seller}/balance`)
        .set('Authorization', sellerAuth)
        .expect(200);
    });
  });

  describe('tokens and states (item 3)', () => {
    it('refuses a JWT without exp, platform role included, and one that lives too long', async () => {
      const key = new TextEncoder().encode(TEST_JWT_SECRET);
      const now = Math.floor(Date.now() / 1000);
      const noExp = await new SignJWT({ role: 'platform' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ops')
        .setIssuedAt()
        .sign(key);
      await request(server())
        .get('/connect/accounts')
        .set('Authorization', `Bearer ${noExp}`)
        .expect(401);
      const forever = await new SignJWT({ role: 'platform' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ops')
        .setIssuedAt(now)
        .setExpirationTime(now + 365 * 86_400)
        .sign(key);
      await request(server())
        .get('/connect/accounts')
        .set('Authorization', `Bearer ${forever}`)
        .expect(401);
    });

    it('makes onboarding states short-lived, single-use, bound to their route and link type', async () => {
      const link = await request(server())
        .post(`/connect/accounts/${seller}/onboarding-link`)
        .set('Authorization', sellerAuth)
        .send({ type: 'account_update' })
        .expect(201);
      // The first visit sends the browser to the return URL; a second one (the link is used) to refresh.
      const back = await visit(link.body.url as string);
      const refresh = await visit(link.body.url as string);
      expect(refresh.pathname).toBe('/connect/onboarding/refresh');
      const refreshState = refresh.searchParams.get('state')!;
      const payload = JSON.parse(
        Buffer.from(refreshState.split('.')[0], 'base64url').toString(),
      ) as { linkType: string; route: string; expiresAt: number };
      expect(payload).toMatchObject({ linkType: 'account_update', route: 'refresh' });
      expect(payload.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(ONBOARDING_STATE_SECONDS);
      expect(ONBOARDING_STATE_SECONDS).toBeLessThanOrEqual(2 * 3600);

      // A return state does not open the refresh route, nor the other way round.
      const swapped = new URL(back);
      swapped.pathname = '/connect/onboarding/refresh';
      await request(server()).get(local(swapped)).expect(400);
      // The refresh mints a link of the same type; its state then works no more.
      const fresh = await request(server()).get(local(refresh)).expect(303);
      const minted = await visit(fresh.headers.location);
      const mintedState = JSON.parse(
        Buffer.from(minted.searchParams.get('state')!.split('.')[0], 'base64url').toString(),
      ) as { linkType: string };
      expect(mintedState.linkType).toBe('account_update');
      const reused = await request(server()).get(local(refresh)).expect(400);
      expect(reused.body).toMatchObject({
        code: 'invalid_state',
        message: 'The state was used already',
      });
      await request(server()).get(local(back)).expect(200);
      await request(server()).get(local(back)).expect(400);
    });
  });

  describe('money input (item 5)', () => {
    it('refuses a currency Stripe does not support, and amounts beyond its limits', async () => {
      const charge = (body: object) =>
        request(server()).post('/connect/charges').set('Authorization', platform).send(body);
      const xyz = await charge({ amount: 1000, currency: 'xyz', paymentMethod: 'pm_card_visa' });
      expect(xyz.status).toBe(400);
      expect(Object.keys(xyz.body.errors as object)).toEqual(['currency']);
      const huge = await charge({
        amount: 100_000_000,
        currency: 'usd',
        paymentMethod: 'pm_card_visa',
      });
      expect(huge.status).toBe(400);
      expect(Object.keys(huge.body.errors as object)).toEqual(['amount']);
      const kwd = await charge({ amount: 1005, currency: 'kwd', paymentMethod: 'pm_card_visa' });
      expect(kwd.status).toBe(400);
      expect(kwd.body.errors.amount[0]).toMatch(/multiples of 10/);
    });

    it('names the field of an unknown destination and an unknown payment method', async () => {
      const destination = await request(server())
        .post('/connect/charges')
        .set('Authorization', platform)
        .send({
          amount: 1000,
          currency: 'usd',
          paymentMethod: 'pm_card_visa',
          destination: 'acct_nope',
        });
      expect(destination.status).toBe(400);
      expect(Object.keys(destination.body.errors as object)).toEqual(['destination']);
      const transfer = await request(server())
        .post('/connect/transfers')
        .set('Authorization', platform)
        .send({ amount: 1000, currency: 'usd', destination: 'acct_nope' });
      expect(transfer.status).toBe(400);
      expect(Object.keys(transfer.body.errors as object)).toEqual(['destination']);
      const method = await request(server())
        .post('/connect/charges')
        .set('Authorization', platform)
        .send({ amount: 1000, currency: 'usd', paymentMethod: 'pm_nope_nope' });
      expect(method.status).toBe(400);
      expect(Object.keys(method.body.errors as object)).toEqual(['paymentMethod']);
    });
  });
});
