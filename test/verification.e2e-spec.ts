/** The verification follow-up through REST with JWTs, against the embedded sandbox and its webhooks. */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { Account, STRIPE_CLIENT } from '../src/stripe-connect/index.js';
import { DOCUMENT_REVIEW_SECONDS } from '../src/stripe-sandbox/resources/account-requirements.js';
import { identityCardPng } from './support/png.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const INDIVIDUAL = {
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'jane@example.com',
  phone: '0000000000',
  dob: { day: 1, month: 1, year: 1901 },
  address: { line1: 'address_full_match', city: 'San Francisco', state: 'CA', postalCode: '94103' },
  idNumber: '000000000',
};
const FORM = {
  country: 'US',
  businessType: 'individual',
  individual: INDIVIDUAL,
  bankAccount: {
    accountHolderName: 'Jane Doe',
    routingNumber: '110000000',
    accountNumber: '000123456789',
  },
  businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
  tosAccepted: true,
};

describe('verification follow-up', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: SandboxClient;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
  });
  afterAll(() => t.close());

  const as = async (user: string) => `Bearer ${await t.token(user)}`;
  const create = async (user: string, form: object) => {
    const response = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', await as(user))
      .send(form);
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };
  const state = async (user: string, id: string) =>
    request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}/verification`)
      .set('Authorization', await as(user));
  const submit = async (user: string, id: string, body: object) =>
    request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/verification`)
      .set('Authorization', await as(user))
      .send(body);

  it('shows an id number that failed to match as currently due, with a message, and takes the correction', async () => {
    const { id } = await create('mismatch-user', {
      ...FORM,
      individual: { ...INDIVIDUAL, idNumber: '111111111' },
    });
    const before = await state('mismatch-user', id);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      accountId: id,
      collectedBy: 'platform',
      currentlyDue: ['individual.id_number'],
      disabledReason: 'requirements.past_due',
      errors: [
        {
          requirement: 'individual.id_number',
          code: 'verification_failed_id_number_match',
          message: 'The id number does not match the name and date of birth.',
        },
      ],
    });
    // Stripe takes a matching identity document instead (`requirements.alternatives`): both are offered.
    expect(before.body.alternatives).toEqual([
      {
        originalFieldsDue: ['individual.id_number'],
        alternativeFieldsDue: ['individual.verification.document'],
      },
    ]);
    expect(before.body.fields).toEqual([
      expect.objectContaining({
        name: 'individual.id_number',
        type: 'text',
        required: false,
        requirements: ['individual.id_number'],
        hint: 'Or instead: your identity document',
      }),
      expect.objectContaining({
        name: 'individual.verification.document',
        type: 'file',
        required: false,
        hint: 'Instead of: your national id number',
      }),
    ]);

    const after = await submit('mismatch-user', id, { 'individual.id_number': '000000000' });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      currentlyDue: [],
      errors: [],
      fields: [],
      disabledReason: null,
    });

    // The account.updated webhook brings the mirror along.
    await clock.advance(0);
    const row = await db.getRepository(Account).findOneByOrFail({ id });
    expect(row.verificationFieldsNeeded).toEqual([]);
    expect(row.chargesEnabled).toBe(true);
  });

  it('takes an identity document instead of the id number, reviews it, and verifies the person after review', async () => {
    const { id } = await create('document-user', {
      ...FORM,
      individual: { ...INDIVIDUAL, idNumber: '111111111' },
    });
    const sent = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/verification`)
      .set('Authorization', await as('document-user'))
      .attach('individual.verification.document', identityCardPng(), 'passport.png');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      currentlyDue: [],
      pendingVerification: ['individual.verification.document'],
      alternatives: [],
      errors: [],
      fields: [],
    });
    await clock.advance(0);
    const reviewing = await db.getRepository(Account).findOneByOrFail({ id });
    expect(reviewing.chargesEnabled).toBe(false);

    // Stripe's review ends on the clock; the account.updated webhook enables the account.
    await clock.advance(DOCUMENT_REVIEW_SECONDS);
    const after = await state('document-user', id);
    expect(after.body).toMatchObject({ pendingVerification: [], currentlyDue: [], errors: [] });
    const verified = await db.getRepository(Account).findOneByOrFail({ id });
    expect(verified).toMatchObject({ chargesEnabled: true, payoutsEnabled: true });
  });

  it('lists exactly what is due, refuses anything else, checks types, and accepts the fields', async () => {
    const { id } = await create('followup-user', { ...FORM, businessProfile: undefined });
    const due = await state('followup-user', id);
    expect(due.body.currentlyDue).toEqual(['business_profile.mcc', 'business_profile.url']);
    expect(due.body.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
      ['business_profile.mcc', 'text'],
      ['business_profile.url', 'url'],
    ]);

    const refused = await submit('followup-user', id, {
      'business_profile.mcc': '57',
      'business_profile.url': 'not a url',
      'individual.first_name': 'Eve',
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual([
      'business_profile.mcc',
      'business_profile.url',
      'individual.first_name',
    ]);
    expect(refused.body.errors['individual.first_name']).toEqual([
      'is not part of the current verification form',
    ]);

    const accepted = await submit('followup-user', id, {
      'business_profile.mcc': '5734',
      'business_profile.url': 'https://accessible.stripe.com',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.currentlyDue).toEqual([]);
    const account = await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}`)
      .set('Authorization', await as('followup-user'))
      .expect(200);
    expect(account.body).toMatchObject({
      chargesEnabled: true,
      payoutsEnabled: true,
      verificationFieldsNeeded: [],
    });
  });

  it('answers an empty form when nothing is due', async () => {
    const { id } = await create('complete-user', FORM);
    const response = await state('complete-user', id);
    expect(response.body).toMatchObject({
      currentlyDue: [],
      pastDue: [],
      fields: [],
      errors: [],
      dueBy: null,
    });
  });

  it('puts Stripe’s rejection of a submitted field on that field', async () => {
    const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'individual',
    });
    await db
      .getRepository(Account)
      .insert({ id: account.id, type: 'custom', userId: 'young-user' });
    const response = await submit('young-user', account.id, {
      'individual.dob': `${new Date().getUTCFullYear() - 5}-01-01`,
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toEqual(['individual.dob']);
  });

  it('says that Stripe collects an express account’s information', async () => {
    const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    const account = await stripe.accounts.create({ type: 'express', country: 'US' });
    await db
      .getRepository(Account)
      .insert({ id: account.id, type: 'express', userId: 'express-user' });
    const response = await state('express-user', account.id);
    expect(response.body).toMatchObject({ collectedBy: 'stripe', fields: [] });
    expect(response.body.currentlyDue.length).toBeGreaterThan(0);
  });

  it('answers 404 for another user’s account', async () => {
    const { id } = await create('owner-user', FORM);
    expect((await state('intruder', id)).status).toBe(404);
    expect((await submit('intruder', id, { 'business_profile.mcc': '5734' })).status).toBe(404);
  });
});
