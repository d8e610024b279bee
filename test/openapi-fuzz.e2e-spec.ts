/**
 * Every route of the OpenAPI document, sent what careless and hostile callers send: wrong types, missing and
 * extra fields, nulls, huge strings, deep nesting, prototype keys, invalid JSON, wrong content types, empty
 * bodies, bad path ids. None may answer 5xx; every 4xx has the library's error shape. Bounded: a few hundred
 * requests, as the platform (which passes every ownership check, so validation itself is reached).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellerForm } from './support/forms.js';
import { CapturingLogger } from './support/log-capture.js';
import { fillPath, openApiRoutes, type OpenApiRoute } from './support/openapi-routes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Attempt {
  label: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  multipart?: boolean;
}

const BAD_VALUES: [string, unknown][] = [
  ['null', null],
  ['number', 123],
  ['boolean', true],
  ['array', ['x', { y: 1 }]],
  ['object', { nested: { deeper: 'x' } }],
  ['huge string', 'x'.repeat(60_000)],
  ['NUL', 'a\u0000b'],
  ['negative', -1],
  ['float', 1.5],
  ['huge number', 1e308],
];

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** What to send to one route: bodies built from its documented fields and the base body, and bad path ids. */
function attemptsFor(route: OpenApiRoute, path: string, base: Record<string, unknown>): Attempt[] {
  const json = (label: string, value: unknown): Attempt => ({
    label,
    path,
    contentType: 'application/json',
    body: JSON.stringify(value),
  });
  const attempts: Attempt[] = [];
  if (route.method !== 'get') {
    attempts.push(
      { label: 'no body', path },
      { label: 'empty JSON body', path, contentType: 'application/json', body: '' },
      { label: 'invalid JSON', path, contentType: 'application/json', body: '{"amount": 1,' },
      { label: 'JSON null', path, contentType: 'application/json', body: 'null' },
      { label: 'JSON array', path, contentType: 'application/json', body: '[1,2]' },
      { label: 'JSON string', path, contentType: 'application/json', body: '"text"' },
      { label: 'deep nesting', path, contentType: 'application/json', body: nested(2_000) },
      { label: 'text/plain', path, contentType: 'text/plain', body: 'hello' },
      {
        label: 'octet-stream',
        path,
        contentType: 'application/octet-stream',
        body: Buffer.from([0, 1, 2]),
      },
      {
        label: 'form-urlencoded',
        path,
        contentType: 'application/x-www-form-urlencoded',
        body: 'a[b][c]=1&__proto__[x]=1',
      },
      { label: 'multipart', path, multipart: true },
      { label: 'latin1 JSON', path, contentType: 'application/json; charset=latin1', body: '{}' },
      {
        label: 'oversized',
        path,
        contentType: 'application/json',
        body: JSON.stringify({ x: 'y'.repeat(300_000) }),
      },
      {
        label: 'lone surrogate',
        path,
        contentType: 'application/json',
        body: '{"description":"\\ud800"}',
      },
      json('prototype keys', { ...base, toString: 'x', constructor: { prototype: 1 } }),
      {
        label: '__proto__ key',
        path,
        contentType: 'application/json',
        body: '{"__proto__":{"platform":true}}',
      },
      json('extra field', { ...base, stripeAccount: 'acct_someone_else', admin: true }),
    );
    const fields = [...new Set([...route.bodyProperties, ...Object.keys(base)])];
    for (const field of fields) {
      const { [field]: _dropped, ...missing } = base;
      attempts.push(json(`missing ${field}`, missing));
      for (const [name, value] of BAD_VALUES)
        attempts.push(json(`${field} ${name}`, { ...base, [field]: value }));
    }
  }
  if (path.includes('__ID__')) {
    for (const id of [
      '%00',
      '%F0%28',
      'x'.repeat(3_000),
      '..%2F..%2Fetc',
      '%E2%80%8B',
      'acct_%00x',
      '%25',
    ]) {
      attempts.push({
        label: `path id ${id.slice(0, 12)}`,
        path: path.replace('__ID__', id),
        ...(route.method === 'get'
          ? {}
          : { contentType: 'application/json', body: JSON.stringify(base) }),
      });
    }
  }
  attempts.push({
    label: 'query junk',
    path: `${path.replace('__ID__', 'x')}?limit=%00&offset[]=1&state[a]=b`,
  });
  return attempts.map((a) => ({ ...a, path: a.path.replace('__ID__', 'ID') }));
}

describe('fuzzing every route of the OpenAPI document', () => {
  let t: TestApp;
  const logs = new CapturingLogger();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox', logger: logs });
    const seller = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', `Bearer ${await t.token('fuzz-seller')}`)
      .send(sellerForm())
      .expect(201);
    ids.account = seller.body.id as string;
    const charge = await request(t.app.getHttpServer())
      .post('/connect/charges')
      .set('Authorization', `Bearer ${await t.token('fuzz-ops', { platform: true })}`)
      .send({
        amount: 2000,
        currency: 'usd',
        paymentMethod: 'pm_card_visa',
        destination: ids.account,
      })
      .expect(201);
    ids.charge = charge.body.id as string;
  });
  afterAll(() => t.close());

  const baseBodies: Record<string, Record<string, unknown>> = {
    'POST /connect/accounts/custom': sellerForm(),
    'POST /connect/accounts': { type: 'express', country: 'US' },
    'POST /connect/charges': { amount: 1000, currency: 'usd', paymentMethod: 'pm_card_visa' },
    'POST /connect/transfers': { amount: 100, currency: 'usd', destination: 'ACCOUNT' },
    'POST /connect/accounts/{id}/payouts': { amount: 100, currency: 'usd' },
    'POST /connect/accounts/{id}/external-accounts': {
      bankAccount: {
        accountHolderName: 'F Z',
        routingNumber: '110000000',
        accountNumber: '000123456789',
      },
    },
    'POST /connect/accounts/{id}/verification': { 'individual.id_number': '000000000' },
  };

  it(
    'answers every request with 2xx or 4xx, and every 4xx in the library error shape',
    { timeout: 240_000 },
    async () => {
      const platform = `Bearer ${await t.token('fuzz-ops', { platform: true })}`;
      const failures: string[] = [];
      let sent = 0;
      for (const route of openApiRoutes()) {
        if (route.path === '/health') continue;
        const base = JSON.parse(
          JSON.stringify(baseBodies[route.key] ?? {}).replace(
            '"ACCOUNT"',
            JSON.stringify(ids.account),
          ),
        ) as Record<string, unknown>;
        const id = route.path.startsWith('/connect/charges')
          ? ids.charge
          : route.path.startsWith('/connect/transfers')
            ? 'tr_nope'
            : ids.account;
        const path = fillPath(route.path, { id: '__ID__' });
        for (const attempt of attemptsFor(route, path, base)) {
          const url = attempt.path.replace('/ID', `/${id}`);
          const agent = request(t.app.getHttpServer());
          let call = agent[route.method](url).set('Authorization', platform);
          if (route.path.startsWith('/stripe/')) call = call.set('Stripe-Signature', 't=1,v1=00');
          if (attempt.multipart)
            call = call
              .field('individual.first_name', 'a\u0000')
              .attach('file', Buffer.from('%PDF-1.4'), 'a.pdf');
          else if (attempt.contentType)
            call = call.set('Content-Type', attempt.contentType).send(attempt.body);
          const response = await call;
          sent += 1;
          const body = response.body as Record<string, unknown>;
          const where = `${route.key} [${attempt.label}] → ${response.status}`;
          if (response.status >= 500)
            failures.push(`${where} ${JSON.stringify(body).slice(0, 200)}`);
          else if (
            response.status >= 400 &&
            (body.statusCode !== response.status ||
              typeof body.code !== 'string' ||
              typeof body.message !== 'string')
          )
            failures.push(`${where}: not the error shape ${JSON.stringify(body).slice(0, 200)}`);
        }
      }
      expect(sent).toBeGreaterThan(300);
      expect(failures, logs.text('error').slice(0, 4000)).toEqual([]);
      // Errors logged while fuzzing come from the fuzzed requests only; the sandbox's own webhook deliveries
      // (charges and refunds the fuzz made) are processed in the background and judged by the webhook tests.
      const errors = logs.lines.filter(
        (line) => line.level === 'error' && !line.text.includes('kept for redelivery'),
      );
      expect(errors.map((line) => line.text)).toEqual([]);
      const failed = logs.lines.filter((line) => line.text.includes('processing failed'));
      if (failed.length) console.warn(failed.map((line) => line.text).join('\n'));
    },
  );
});
