/** The initial form's description over REST: anyone signed in; unknown countries and types refused. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('GET /connect/onboarding/countries', () => {
  let t: TestApp;
  let auth: string;

  beforeAll(async () => {
    t = await createTestApp();
    auth = `Bearer ${await t.token('countries-user')}`;
  });
  afterAll(() => t.close());

  const get = (path: string) => request(t.app.getHttpServer()).get(path).set('Authorization', auth);

  it('needs a signed-in caller', async () => {
    await request(t.app.getHttpServer()).get('/connect/onboarding/countries').expect(401);
    await request(t.app.getHttpServer()).get('/connect/onboarding/countries/US/form').expect(401);
  });

  it('lists the countries and describes the form of one country and business type', async () => {
    const countries = await get('/connect/onboarding/countries').expect(200);
    expect(countries.body).toContainEqual({
      country: 'GB',
      name: 'United Kingdom',
      currencies: ['gbp', 'eur', 'usd'],
      defaultCurrency: 'gbp',
      businessTypes: ['individual', 'company'],
    });
    const form = await get('/connect/onboarding/countries/de/form?businessType=company').expect(
      200,
    );
    expect(form.body).toMatchObject({
      country: 'DE',
      businessType: 'company',
      action: '/connect/accounts/custom',
    });
    expect(form.body.fields).toContainEqual(
      expect.objectContaining({ name: 'bankAccount.iban', type: 'text', required: true }),
    );
    expect(form.body.fields).toContainEqual(
      expect.objectContaining({ name: 'company.representative.dob', format: 'day-month-year' }),
    );
    const individual = await get('/connect/onboarding/countries/US/form').expect(200);
    expect(individual.body.businessType).toBe('individual');
  });

  it('answers 404 for a country it does not onboard and 400 for an unknown business type', async () => {
    const missing = await get('/connect/onboarding/countries/ZZ/form').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'country_not_supported' });
    const bad = await get('/connect/onboarding/countries/US/form?businessType=alien').expect(400);
    expect(Object.keys(bad.body.errors)).toEqual(['businessType']);
    const long = await get(`/connect/onboarding/countries/${'x'.repeat(500)}/form`).expect(404);
    expect(long.body.message.length).toBeLessThan(100);
  });
});
