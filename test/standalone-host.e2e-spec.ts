/**
 * The library stands alone: a host that adds nothing but `getUser` (no global pipe, guard or filter, its own
 * notion of users) behaves like the demo host on the library's routes: validation, unknown fields refused (a
 * body cannot override `stripeAccount`), 401/403/404/413 in the library's error shape, security headers,
 * and the configurable rate limits.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { sellerForm } from './support/forms.js';
import { createLibraryHost } from './support/library-host.js';
import { startSandbox } from './support/sandbox.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SECRETS = {
  webhookSecrets: ['whsec_standalone'],
  connectWebhookSecrets: ['whsec_standalone_c'],
};

interface Host {
  app: INestApplication;
  /** The headers that make a request come from `user` on this host. */
  as(user: string, platform?: boolean): Promise<Record<string, string>>;
}

/** A probe: one request, and what of its answer is compared between hosts. */
interface Probe {
  name: string;
  run(host: Host, seller: string): Promise<request.Response>;
}

const probes: Probe[] = [
  {
    name: 'a body overriding stripeAccount is refused',
    run: async (host, seller) =>
      request(host.app.getHttpServer())
        .post(`/connect/accounts/${seller}/customers`)
        .set(await host.as('buyer'))
        .send({ stripeAccount: 'acct_someone_else' }),
  },
  {
    name: 'field errors from the DTO',
    run: async (host) =>
      request(host.app.getHttpServer())
        .post('/connect/charges')
        .set(await host.as('ops', true))
        .send({ amount: 'lots', currency: 'xyz', paymentMethod: 'pm_card_visa', admin: 1 }),
  },
  {
    name: 'a user on a platform route',
    run: async (host) =>
      request(host.app.getHttpServer())
        .post('/connect/transfers')
        .set(await host.as('buyer'))
        .send({ amount: null }),
  },
  {
    name: "another user's account",
    run: async (host, seller) =>
      request(host.app.getHttpServer())
        .get(`/connect/accounts/${seller}/balance`)
        .set(await host.as('stranger')),
  },
  {
    name: 'an unknown library path',
    run: async (host) =>
      request(host.app.getHttpServer())
        .get('/connect/nothing-here')
        .set(await host.as('buyer')),
  },
  {
    name: 'an oversized body',
    run: async (host) =>
      request(host.app.getHttpServer())
        .post('/connect/charges')
        .set(await host.as('ops', true))
        .send({ description: 'x'.repeat(200_000) }),
  },
  {
    name: 'invalid JSON',
    run: async (host) =>
      request(host.app.getHttpServer())
        .post('/connect/charges')
        .set(await host.as('ops', true))
        .set('Content-Type', 'application/json')
        .send('{"amount":'),
  },
  {
    name: 'a NUL in a path id',
    run: async (host) =>
      request(host.app.getHttpServer())
        .get('/connect/accounts/%00')
        .set(await host.as('buyer')),
  },
  {
    name: 'a webhook without a body',
    run: async (host) =>
      request(host.app.getHttpServer())
        .post('/stripe/webhooks')
        .set('Stripe-Signature', 't=1,v1=a'),
  },
];

describe('a host that adds nothing but getUser', () => {
  let sandbox: StripeSandbox;
  let demo: TestApp;
  let bare: INestApplication;
  const hosts: Record<'demo' | 'bare', Host> = {} as never;
  const sellers: Record<'demo' | 'bare', string> = {} as never;

  beforeAll(async () => {
    ({ sandbox } = await startSandbox());
    const stripe = { secretKey: 'sk_test_standalone', apiBase: sandbox.url, ...SECRETS };
    demo = await createTestApp({ stripe: { kind: 'stripe', ...stripe } });

    bare = await createLibraryHost(
      {
        ...stripe,
        publicUrl: 'https://bare.example.com',
        rateLimit: { limit: 3, ttlMs: 60_000 },
        // The host's own authentication: a trusted header set by its gateway.
        getUser: (req) => {
          const header = req.headers['x-user'];
          if (typeof header !== 'string' || !header) return undefined;
          const [id, role] = header.split(':');
          return { id, platform: role === 'platform' };
        },
      },
      { rawBody: true, logger: false },
    );
    await bare.init();

    hosts.demo = {
      app: demo.app,
      as: async (user, platform = false) => ({
        Authorization: `Bearer ${await demo.token(user, { platform })}`,
      }),
    };
    hosts.bare = {
      app: bare,
      as: (user, platform = false) =>
        Promise.resolve({ 'X-User': platform ? `${user}:platform` : user }),
    };
    for (const name of ['demo', 'bare'] as const) {
      sellers[name] = (
        await request(hosts[name].app.getHttpServer())
          .post('/connect/accounts/custom')
          .set(await hosts[name].as('seller'))
          .send(sellerForm())
          .expect(201)
      ).body.id as string;
    }
  });
  afterAll(async () => {
    await bare?.close();
    await demo?.close();
    await sandbox?.close();
  });

  for (const probe of probes) {
    it(`answers as the demo host: ${probe.name}`, async () => {
      const [fromDemo, fromBare] = await Promise.all([
        probe.run(hosts.demo, sellers.demo),
        probe.run(hosts.bare, sellers.bare),
      ]);
      expect(fromBare.status).toBeGreaterThanOrEqual(400);
      expect(fromBare.status).toBeLessThan(500);
      const comparable = (response: request.Response) => {
        const body = response.body as Record<string, unknown>;
        return { status: response.status, code: body.code, errors: body.errors };
      };
      expect(comparable(fromBare)).toEqual(comparable(fromDemo));
    });
  }

  it('answers 401 in the library shape without a user', async () => {
    const response = await request(bare.getHttpServer()).get('/connect/accounts').expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
  });

  it('sends security headers on the library routes', async () => {
    const response = await request(bare.getHttpServer())
      .get('/connect/accounts')
      .set('X-User', 'seller')
      .expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('rate-limits the routes that mint links and states, as configured', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await request(bare.getHttpServer())
        .post(`/connect/accounts/${sellers.bare}/onboarding-link`)
        .set('X-User', 'seller')
        .send({});
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.body).toMatchObject({ statusCode: 429, code: 'too_many_requests' });
        expect(response.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    // Another caller has their own allowance.
    await request(bare.getHttpServer())
      .post(`/connect/accounts/${sellers.bare}/onboarding-link`)
      .set('X-User', 'ops:platform')
      .send({})
      .expect(201);
  });
});
