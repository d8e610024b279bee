/** Verification asked later, its deadline on the sandbox clock, and identity documents uploaded through REST. */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { Account, STRIPE_CLIENT } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const FORM = {
  country: 'US',
  businessType: 'individual',
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
    ssnLast4: '0000',
  },
  bankAccount: {
    accountHolderName: 'Jane Doe',
    routingNumber: '110000000',
    accountNumber: '000123456789',
  },
  businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
  tosAccepted: true,
};
/** The 8-byte PNG signature and a little more: what a PNG's content starts with. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const DAY = 86_400;

describe('verification over time, and documents', () => {
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
  const state = async (user: string, id: string): Promise<Record<string, unknown>> =>
    (
      await request(t.app.getHttpServer())
        .get(`/connect/accounts/${id}/verification`)
        .set('Authorization', await auth(user))
        .expect(200)
    ).body;

  it('moves later verification to currently due, then past its deadline to past due, disabling charges; a document restores it', async () => {
    const created = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', await auth('deadline-user'))
      .send(FORM)
      .expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      chargesEnabled: true,
      requirements: { currentlyDue: [], eventuallyDue: ['individual.verification.document'] },
    });

    await clock.advance(30 * DAY);
    const due = await state('deadline-user', id);
    expect(due).toMatchObject({
      currentlyDue: ['individual.verification.document'],
      pastDue: [],
      disabledReason: null,
    });
    expect(new Date(due.dueBy as string).getTime()).toBeGreaterThan(Date.now() + 40 * DAY * 1000);
    expect(due.fields).toEqual([
      expect.objectContaining({
        name: 'individual.verification.document',
        type: 'file',
        accept: 'image/jpeg,image/png,application/pdf',
      }),
    ]);
    expect(
      (await db.getRepository(Account).findOneByOrFail({ id })).verificationDueBy,
    ).toBeInstanceOf(Date);

    await clock.advance(14 * DAY);
    const past = await state('deadline-user', id);
    expect(past).toMatchObject({
      pastDue: ['individual.verification.document'],
      disabledReason: 'requirements.past_due',
    });
    const disabled = await db.getRepository(Account).findOneByOrFail({ id });
    expect(disabled).toMatchObject({
      chargesEnabled: false,
      payoutsEnabled: false,
      disabledReason: 'requirements.past_due',
    });

    // A text file renamed .png is refused by its content, before anything reaches Stripe.
    const renamed = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/verification`)
      .set('Authorization', await auth('deadline-user'))
      .attach('individual.verification.document', Buffer.from('just some text, not an image'), {
        filename: 'passport.png',
        contentType: 'image/png',
      })
      .expect(400);
    expect(renamed.body.errors).toEqual({
      'individual.verification.document': [
        'must be a JPEG, PNG or PDF file (checked by its content)',
      ],
    });

    const uploaded = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/verification`)
      .set('Authorization', await auth('deadline-user'))
      .attach('individual.verification.document', PNG, {
        filename: 'passport.png',
        contentType: 'image/png',
      })
      .expect(200);
    expect(uploaded.body).toMatchObject({
      currentlyDue: [],
      pastDue: [],
      disabledReason: null,
      fields: [],
    });
    const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    const account = await stripe.accounts.retrieve(id);
    const front = account.individual!.verification!.document!.front as string;
    expect(front).toMatch(/^file_/);
    const file = await stripe.files.retrieve(front, {}, { stripeAccount: id });
    expect(file).toMatchObject({ purpose: 'identity_document', type: 'png', size: PNG.length });

    await clock.advance(0);
    expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
      chargesEnabled: true,
      verificationFieldsNeeded: [],
    });
  });

  it('refuses a document for a field the form does not have', async () => {
    const created = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', await auth('doc-user'))
      .send(FORM)
      .expect(201);
    const response = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${created.body.id as string}/verification`)
      .set('Authorization', await auth('doc-user'))
      .attach('individual.verification.document', PNG, {
        filename: 'id.png',
        contentType: 'image/png',
      })
      .expect(400);
    expect(response.body.errors).toEqual({
      'individual.verification.document': ['is not a document of the current verification form'],
    });
  });
});
