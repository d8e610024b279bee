/** The committed OpenAPI document (`openapi.json`) is the one the app serves: `npm run openapi` after a change. */
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ onboarding: { publicUrl: 'http://localhost:3000' } });
  });
  afterAll(() => t.close());

  it('matches the committed openapi.json', async () => {
    const served = (await request(t.app.getHttpServer()).get('/docs-json').expect(200))
      .body as Record<string, unknown>;
    const committed = JSON.parse(await readFile('openapi.json', 'utf8')) as Record<string, unknown>;
    expect(served).toEqual(committed);
  });

  it('documents the REST contract’s routes', async () => {
    const served = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/health',
      '/connect/accounts/custom',
      '/connect/accounts',
      '/connect/accounts/{id}',
      '/connect/accounts/{id}/verification',
      '/connect/accounts/{id}/onboarding-link',
      '/connect/accounts/{id}/login-link',
      '/connect/oauth/authorize-url',
      '/connect/accounts/{id}/deauthorize',
      '/connect/accounts/{id}/balance',
      '/connect/accounts/{id}/external-accounts',
      '/connect/accounts/{id}/payouts',
      '/connect/accounts/{id}/customers',
      '/connect/accounts/{id}/customers/me',
      '/connect/accounts/{id}/external-accounts/{externalAccount}',
      '/connect/accounts/{id}/external-accounts/{externalAccount}/default',
      '/connect/onboarding/refresh',
      '/connect/onboarding/return',
      '/connect/oauth/callback',
      '/connect/refunds',
      '/connect/application-fees',
      '/connect/payouts',
      '/connect/customers',
      '/connect/events',
      '/connect/events/{id}/replay',
      '/connect/balance',
      '/connect/charges',
      '/connect/charges/{id}',
      '/connect/charges/{id}/capture',
      '/connect/charges/{id}/refunds',
      '/connect/transfers',
      '/connect/transfers/{id}/reversals',
      '/stripe/webhooks',
      '/stripe/webhooks/connect',
    ]) {
      expect(Object.keys(served.paths), path).toContain(path);
    }
  });
});
