/**
 * Authorization as a table (DESIGN.md section 3), generated from the OpenAPI document so a new route cannot
 * be missed: every route × {anonymous, owner, another user, platform}. Anonymous is 401; another user's
 * account is 404; a user on a platform route is 403 (before any validation: the bodies sent are invalid); the
 * owner gets what the route does.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellerForm } from './support/forms.js';
import { fillPath, openApiRoutes } from './support/openapi-routes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Who may call a route. */
type Access =
  | 'public' // no user authentication (health; webhooks are authenticated by their signature)
  | 'signature' // the webhook endpoints: a signature, never a JWT
  | 'user' // any signed-in user, on their own things
  | 'owner' // the account's owner or the platform; anyone else 404
  | 'scoped' // back-office lists: the platform everything; a user must name their own account (400 without)
  | 'platform'; // the platform only; a user 403

interface Row {
  access: Access;
  /** What the owner (or the platform, on platform routes) sends, and the statuses the route answers it. */
  body?: Record<string, unknown>;
  expect: number[];
}

const BANK = {
  accountHolderName: 'Table Seller',
  routingNumber: '110000000',
  accountNumber: '000123456789',
};

/** One row per documented route: a route missing here fails the test. */
const TABLE: Record<string, Row> = {
  'GET /health': { access: 'public', expect: [200] },
  'POST /connect/accounts/custom': { access: 'user', body: sellerForm(), expect: [201] },
  'GET /connect/accounts': { access: 'user', expect: [200] },
  'POST /connect/accounts': {
    access: 'user',
    body: { type: 'express', country: 'US' },
    expect: [201],
  },
  'GET /connect/accounts/{id}/verification': { access: 'owner', expect: [200] },
  // Nothing submitted: the form's own 400.
  'POST /connect/accounts/{id}/verification': { access: 'owner', body: {}, expect: [400] },
  'GET /connect/accounts/{id}/external-accounts': { access: 'owner', expect: [200] },
  'POST /connect/accounts/{id}/external-accounts': {
    access: 'owner',
    body: { bankAccount: BANK },
    expect: [201],
  },
  'GET /connect/accounts/{id}': { access: 'owner', expect: [200] },
  'POST /connect/accounts/{id}/onboarding-link': { access: 'owner', body: {}, expect: [201] },
  // A custom account: login links are for express accounts, disconnecting for OAuth-connected ones.
  'POST /connect/accounts/{id}/login-link': { access: 'owner', body: {}, expect: [400] },
  'POST /connect/accounts/{id}/deauthorize': { access: 'owner', body: {}, expect: [400] },
  'GET /connect/oauth/authorize-url': { access: 'user', expect: [200] },
  // The browser's routes: the signed state authenticates, and none is sent.
  'GET /connect/onboarding/refresh': { access: 'public', expect: [400] },
  'GET /connect/onboarding/return': { access: 'public', expect: [400] },
  'GET /connect/oauth/callback': { access: 'public', expect: [400] },
  // Any signed-in user may become a customer of an enabled connected account.
  'POST /connect/accounts/{id}/customers': { access: 'user', body: {}, expect: [200, 201] },
  'GET /connect/accounts/{id}/customers/me': { access: 'user', expect: [200] },
  'POST /connect/charges': {
    access: 'platform',
    body: { amount: 1000, currency: 'usd', paymentMethod: 'pm_card_visa', destination: 'ACCOUNT' },
    expect: [201],
  },
  'GET /connect/charges/{id}': { access: 'platform', expect: [200] },
  // An automatic charge that succeeded: nothing to capture or cancel.
  'POST /connect/charges/{id}/capture': { access: 'platform', body: {}, expect: [400] },
  'POST /connect/charges/{id}/cancel': { access: 'platform', body: {}, expect: [400] },
  'POST /connect/charges/{id}/refunds': {
    access: 'platform',
    body: { amount: 100 },
    expect: [201],
  },
  // The platform's available balance may not cover it yet (Stripe's balance_insufficient is a 400).
  'POST /connect/transfers': {
    access: 'platform',
    body: { amount: 100, currency: 'usd', destination: 'ACCOUNT' },
    expect: [201, 400],
  },
  'POST /connect/transfers/{id}/reversals': { access: 'platform', body: {}, expect: [201, 404] },
  'GET /connect/accounts/{id}/balance': { access: 'owner', expect: [200] },
  'GET /connect/accounts/{id}/payouts': { access: 'owner', expect: [200] },
  'POST /connect/accounts/{id}/payouts': {
    access: 'owner',
    body: { amount: 100, currency: 'usd' },
    expect: [201, 400],
  },
  // Bank accounts and persons of a custom account: none named `missing` exists.
  'DELETE /connect/accounts/{id}/external-accounts/{externalAccount}': {
    access: 'owner',
    expect: [404],
  },
  'POST /connect/accounts/{id}/external-accounts/{externalAccount}/default': {
    access: 'owner',
    body: {},
    expect: [404],
  },
  'GET /connect/accounts/{id}/persons': { access: 'owner', expect: [200] },
  // Nothing submitted: the form's own 400.
  'POST /connect/accounts/{id}/persons': { access: 'owner', body: {}, expect: [400] },
  'DELETE /connect/accounts/{id}/persons/{person}': { access: 'owner', expect: [404] },
  'GET /connect/onboarding/countries': { access: 'user', expect: [200] },
  'GET /connect/onboarding/countries/{country}/form': { access: 'user', expect: [200] },
  // The onboarding pages' sign-in exchange: its token is the authentication; an empty body is a 400.
  'POST /onboarding/session': { access: 'public', expect: [400] },
  // The back office's lists.
  'GET /connect/charges': { access: 'scoped', expect: [200] },
  'GET /connect/transfers': { access: 'scoped', expect: [200] },
  'GET /connect/payouts': { access: 'scoped', expect: [200] },
  'GET /connect/refunds': { access: 'platform', expect: [200] },
  'GET /connect/application-fees': { access: 'platform', expect: [200] },
  'GET /connect/customers': { access: 'platform', expect: [200] },
  'GET /connect/balance': { access: 'platform', expect: [200] },
  // Platform customers: any signed-in user becomes one (201 the first time, 200 after).
  'POST /connect/customers': { access: 'user', body: {}, expect: [200, 201] },
  'GET /connect/customers/me': { access: 'user', expect: [200] },
  // A saved card: no payment method named, the DTO's 400 (the caller's own; the platform's for anyone's).
  'PUT /connect/customers/me/payment-method': { access: 'user', body: {}, expect: [400] },
  'PUT /connect/customers/{customer}/payment-method': {
    access: 'platform',
    body: {},
    expect: [400],
  },
  // The event log: no event has the account's id.
  'GET /connect/events': { access: 'platform', expect: [200] },
  'GET /connect/events/{id}': { access: 'platform', expect: [404] },
  'POST /connect/events/{id}/replay': { access: 'platform', body: {}, expect: [404] },
  'GET /connect/webhook-queue': { access: 'platform', expect: [200] },
  'POST /stripe/webhooks': { access: 'signature', expect: [400] },
  'POST /stripe/webhooks/connect': { access: 'signature', expect: [400] },
};

/** A body no route accepts, to prove 401/403/404 come before validation. */
const INVALID = { amount: 'lots', currency: null, unknownField: true };

describe('the authorization table', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const auth = async (user: string, platform = false) =>
    `Bearer ${await t.token(user, { platform })}`;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    ids.account = (
      await request(t.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', await auth('table-owner'))
        .send(sellerForm())
        .expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  it('has a row for every route of the OpenAPI document', () => {
    const documented = openApiRoutes().map((route) => route.key);
    expect(documented.filter((key) => !TABLE[key])).toEqual([]);
    expect(Object.keys(TABLE).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it(
    'answers each route to anonymous, owner, another user and the platform as the table says',
    { timeout: 120_000 },
    async () => {
      const server = t.app.getHttpServer();
      const mismatches: string[] = [];
      const check = (key: string, who: string, status: number, wanted: number[]) => {
        if (!wanted.includes(status))
          mismatches.push(`${key} as ${who}: ${status}, expected ${wanted.join('|')}`);
      };
      for (const route of openApiRoutes()) {
        const row = TABLE[route.key];
        if (!row) continue;
        const idFor = () =>
          route.path.startsWith('/connect/charges')
            ? (ids.charge ?? 'pi_missing')
            : route.path.startsWith('/connect/transfers')
              ? (ids.transfer ?? 'tr_missing')
              : ids.account;
        const send = async (authorization: string | null, body?: object) => {
          const url = fillPath(route.path, { id: idFor(), country: 'US' });
          let call = request(server)[route.method](url);
          if (authorization) call = call.set('Authorization', authorization);
          if (route.method !== 'get' && body !== undefined) call = call.send(body);
          return call;
        };
        const body = JSON.parse(
          JSON.stringify(row.body ?? {}).replace('"ACCOUNT"', JSON.stringify(ids.account)),
        ) as object;

        if (row.access === 'public') {
          check(route.key, 'anonymous', (await send(null)).status, row.expect);
          continue;
        }
        if (row.access === 'signature') {
          // A JWT changes nothing: without a signature it is a 400 for anyone, the platform included.
          check(route.key, 'anonymous', (await send(null, {})).status, row.expect);
          check(
            route.key,
            'platform',
            (await send(await auth('ops', true), {})).status,
            row.expect,
          );
          continue;
        }
        check(route.key, 'anonymous', (await send(null, INVALID)).status, [401]);
        if (row.access === 'platform') {
          check(
            route.key,
            'owner user',
            (await send(await auth('table-owner'), INVALID)).status,
            [403],
          );
          check(
            route.key,
            'another user',
            (await send(await auth('table-stranger'), INVALID)).status,
            [403],
          );
          const response = await send(await auth('ops', true), body);
          check(route.key, 'platform', response.status, row.expect);
          if (route.key === 'POST /connect/charges' && response.status === 201)
            ids.charge = response.body.id as string;
          if (route.key === 'POST /connect/transfers' && response.status === 201)
            ids.transfer = response.body.id as string;
          continue;
        }
        if (row.access === 'scoped') {
          for (const [who, user] of [
            ['owner user', 'table-owner'],
            ['another user', 'table-stranger'],
          ]) {
            check(
              route.key,
              `${who} naming no account`,
              (await send(await auth(user))).status,
              [400],
            );
          }
          check(route.key, 'platform', (await send(await auth('ops', true))).status, row.expect);
          continue;
        }
        if (row.access === 'owner') {
          check(
            route.key,
            'another user',
            (await send(await auth('table-stranger'), INVALID)).status,
            [404],
          );
          check(
            route.key,
            'owner',
            (await send(await auth('table-owner'), body)).status,
            row.expect,
          );
          check(route.key, 'platform', (await send(await auth('ops', true), body)).status, [
            ...row.expect,
            201,
            200,
          ]);
          continue;
        }
        // Any signed-in user, on their own things.
        check(route.key, 'owner', (await send(await auth('table-owner'), body)).status, row.expect);
        check(
          route.key,
          'another user',
          (await send(await auth('table-stranger'), body)).status,
          row.expect,
        );
      }
      expect(mismatches).toEqual([]);
    },
  );
});
