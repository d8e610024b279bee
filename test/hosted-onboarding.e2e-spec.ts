/** Express and Standard accounts through Stripe-hosted onboarding and OAuth, against the embedded sandbox. */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { Account } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Opens a URL as a browser would, without following the redirect: answers where it sends the browser. */
async function visit(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location')!);
}

/** The app's own path and query of a URL built on its public URL. */
const local = (url: URL) => `${url.pathname}${url.search}`;

describe('hosted onboarding', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: SandboxClient;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
  });
  afterAll(() => t.close());

  const auth = async (user: string) => `Bearer ${await t.token(user)}`;

  it('creates an express account whose onboarding link completes it, then refreshes a used link', async () => {
    const created = await request(t.app.getHttpServer())
      .post('/connect/accounts')
      .set('Authorization', await auth('express-seller'))
      .send({ type: 'express', country: 'US', email: 'express@example.com' })
      .expect(201);
    const { accountId, onboarding } = created.body as {
      accountId: string;
      onboarding: { url: string; expiresAt: string };
    };
    expect(onboarding.url).toContain('/_sandbox/onboarding/');
    expect(new Date(onboarding.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(await db.getRepository(Account).findOneByOrFail({ id: accountId })).toMatchObject({
      type: 'express',
      userId: 'express-seller',
      detailsSubmitted: false,
    });

    const back = await visit(onboarding.url);
    expect(back.origin).toBe('https://market.example.com');
    expect(back.pathname).toBe('/connect/onboarding/return');
    const returned = await request(t.app.getHttpServer()).get(local(back)).expect(200);
    expect(returned.body).toMatchObject({
      id: accountId,
      detailsSubmitted: true,
      chargesEnabled: true,
      payoutsEnabled: true,
    });

    // Links are single use: the second visit goes to the refresh route, which mints a new link.
    const refresh = await visit(onboarding.url);
    expect(refresh.pathname).toBe('/connect/onboarding/refresh');
    const fresh = await request(t.app.getHttpServer()).get(local(refresh)).expect(303);
    expect(fresh.headers.location).toContain('/_sandbox/onboarding/');
    expect(fresh.headers.location).not.toBe(onboarding.url);

    // The webhook brings the same state into the mirror too.
    await clock.advance(0);
    expect(
      (await db.getRepository(Account).findOneByOrFail({ id: accountId })).detailsSubmitted,
    ).toBe(true);

    const login = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${accountId}/login-link`)
      .set('Authorization', await auth('express-seller'))
      .expect(201);
    expect(login.body.url).toContain('/_sandbox/express/');
    const another = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${accountId}/onboarding-link`)
      .set('Authorization', await auth('express-seller'))
      .send({})
      .expect(201);
    expect(another.body.url).toContain('/_sandbox/onboarding/');
    await request(t.app.getHttpServer())
      .post(`/connect/accounts/${accountId}/onboarding-link`)
      .set('Authorization', await auth('not-the-owner'))
      .send({})
      .expect(404);
  });

  it('refuses the browser routes without a valid state', async () => {
    await request(t.app.getHttpServer()).get('/connect/onboarding/return').expect(400);
    const forged = await request(t.app.getHttpServer())
      .get('/connect/onboarding/return?state=abc.def')
      .expect(400);
    expect(forged.body).toMatchObject({ statusCode: 400, code: 'invalid_state' });
    await request(t.app.getHttpServer())
      .get('/connect/onboarding/refresh?state=abc.def')
      .expect(400);
  });

  it('forgets used nonces once every state they could belong to has expired, never sooner', async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    await db.query(
      `INSERT INTO "stripe_used_states" ("nonce", "used_at") VALUES ($1, $2), ($3, $4)`,
      ['nonce-used-4h-ago', hoursAgo(4), 'nonce-used-2h-ago', hoursAgo(2)],
    );
    const authorize = await request(t.app.getHttpServer())
      .get('/connect/oauth/authorize-url')
      .set('Authorization', await auth('pruning-seller'))
      .expect(200);
    const callback = await visit(authorize.body.url as string);
    await request(t.app.getHttpServer()).get(local(callback)).expect(200);
    const nonces = await db.query<{ nonce: string }[]>(`SELECT "nonce" FROM "stripe_used_states"`);
    const kept = nonces.map((row) => row.nonce);
    expect(kept).not.toContain('nonce-used-4h-ago');
    expect(kept).toContain('nonce-used-2h-ago');
    await request(t.app.getHttpServer()).get(local(callback)).expect(400);
  });

  it('connects a standard account through OAuth, once per state, and deauthorizes it', async () => {
    const authorize = await request(t.app.getHttpServer())
      .get('/connect/oauth/authorize-url')
      .set('Authorization', await auth('standard-seller'))
      .expect(200);
    const url = new URL(authorize.body.url as string);
    expect(url.pathname).toBe('/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('ca_sandbox_platform');
    expect(url.searchParams.get('redirect_uri')).toBe(
      'https://market.example.com/connect/oauth/callback',
    );

    const callback = await visit(url.toString());
    expect(callback.searchParams.get('code')).toMatch(/^ac_/);
    const connected = await request(t.app.getHttpServer()).get(local(callback)).expect(200);
    expect(connected.body).toMatchObject({
      type: 'standard',
      userId: 'standard-seller',
      authorized: true,
      detailsSubmitted: true,
    });

    // The same state (and code) again is refused; a state from another purpose or forged too.
    const reused = await request(t.app.getHttpServer()).get(local(callback)).expect(400);
    expect(reused.body.message).toBe('The state was used already');
    const bad = new URL(callback);
    bad.searchParams.set('state', 'forged.state');
    await request(t.app.getHttpServer()).get(local(bad)).expect(400);

    const id = connected.body.id as string;
    const deauthorized = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/deauthorize`)
      .set('Authorization', await auth('standard-seller'))
      .expect(200);
    expect(deauthorized.body).toMatchObject({ id, authorized: false });
    await clock.advance(0);
    expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
      authorized: false,
      userId: 'standard-seller',
    });
  });
});
