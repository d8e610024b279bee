/**
 * A UK company from restricted to charges and payouts enabled through the initial form and the follow-up
 * (verification) form alone: the persons `requirements` asks for (owners, directors, a known person's missing
 * fields and identity document), the `*_provided` attestations, and a submission that fails part-way.
 */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { Account, STRIPE_CLIENT } from '../src/stripe-connect/index.js';
import { identityCardPng } from './support/png.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const LONDON = { line1: 'address_full_match', city: 'London', postalCode: 'SW1A 1AA' };
const GB_COMPANY = {
  country: 'GB',
  businessType: 'company',
  company: {
    name: 'Acme Ltd',
    taxId: '000000000',
    phone: '+442071234567',
    address: LONDON,
    representative: {
      firstName: 'Rita',
      lastName: 'Rep',
      email: 'rita@example.com',
      phone: '+447700900000',
      // Not one of Stripe's verifying test dates: Stripe will ask for an identity document.
      dob: { day: 5, month: 5, year: 1980 },
      address: LONDON,
    },
  },
  bankAccount: {
    accountHolderName: 'Acme Ltd',
    accountHolderType: 'company',
    sortCode: '10-88-00',
    accountNumber: '00012345',
  },
  businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
  tosAccepted: true,
};

/** The owner's and the director's sections of the follow-up form, as a browser posts them. */
const OWNER = {
  'owners.first_name': 'Otto',
  'owners.last_name': 'Owner',
  'owners.email': 'otto@example.com',
  'owners.dob': '1901-01-01',
  'owners.address.line1': 'address_full_match',
  'owners.address.city': 'London',
  'owners.address.postal_code': 'SW1A 1AA',
  'owners.relationship.percent_ownership': '60',
};
const DIRECTOR = {
  'directors.first_name': 'Dora',
  'directors.last_name': 'Director',
  'directors.email': 'dora@example.com',
  'directors.dob': '1902-01-01',
};

interface Field {
  name: string;
  required: boolean;
  section?: string;
  sectionLabel?: string;
}

describe('a company’s persons in the follow-up form', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;
  let clock: SandboxClient;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
  });
  afterAll(() => t.close());

  const as = async (user: string) => `Bearer ${await t.token(user)}`;
  const create = async (user: string) => {
    const response = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', await as(user))
      .send(GB_COMPANY);
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };
  const state = async (user: string, id: string) =>
    (
      await request(t.app.getHttpServer())
        .get(`/connect/accounts/${id}/verification`)
        .set('Authorization', await as(user))
        .expect(200)
    ).body as { currentlyDue: string[]; fields: Field[]; errors: { requirement: string }[] };
  const submit = async (user: string, id: string, body: object) =>
    request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/verification`)
      .set('Authorization', await as(user))
      .send(body);
  const persons = async (id: string) =>
    (await stripe.accounts.listPersons(id, { limit: 100 })).data;

  it('takes a GB company from restricted to charges and payouts enabled', async () => {
    const { id } = await create('gb-company');
    const [rita] = await persons(id);
    const before = await state('gb-company', id);
    expect(before.currentlyDue).toEqual(
      expect.arrayContaining([
        'company.owners_provided',
        'company.directors_provided',
        'owners.first_name',
        'directors.dob.day',
        `${rita.id}.relationship.title`,
        `${rita.id}.verification.document`,
      ]),
    );
    expect(before.currentlyDue.some((p) => p.startsWith('representative.'))).toBe(false);
    const sections = [...new Set(before.fields.map((f) => f.section ?? ''))];
    expect(sections).toEqual(['', 'owners', 'directors', rita.id]);
    const byName = new Map(before.fields.map((f) => [f.name, f]));
    expect(byName.get('owners.dob')).toMatchObject({ type: 'date', required: true });
    expect(byName.get('owners.relationship.percent_ownership')).toMatchObject({ required: false });
    expect(byName.get('owners.relationship.director')).toMatchObject({ type: 'boolean' });
    expect(byName.get('company.owners_provided')).toMatchObject({ type: 'boolean' });
    expect(byName.get(`${rita.id}.verification.document`)).toMatchObject({
      type: 'file',
      sectionLabel: 'Rita Rep (representative, executive)',
    });
    const restricted = await db.getRepository(Account).findOneByOrFail({ id });
    expect(restricted.chargesEnabled).toBe(false);

    // Half a person is no person: every missing field of the section is named, nothing is written.
    const half = await submit('gb-company', id, {
      'owners.first_name': 'Otto',
      'owners.email': 'otto@example.com',
    });
    expect(half.status).toBe(400);
    expect(Object.keys(half.body.errors as object)).toEqual(
      expect.arrayContaining(['owners.last_name', 'owners.dob', 'owners.address.line1']),
    );
    expect(await persons(id)).toHaveLength(1);

    // The owner and the director, the attestations, and the representative's missing title.
    const sent = await submit('gb-company', id, {
      ...OWNER,
      ...DIRECTOR,
      [`${rita.id}.relationship.title`]: 'Managing director',
      'company.owners_provided': 'true',
      'company.directors_provided': 'true',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.currentlyDue).toEqual([`${rita.id}.verification.document`]);
    const added = await persons(id);
    expect(added).toHaveLength(3);
    expect(added.find((p) => p.first_name === 'Otto')).toMatchObject({
      relationship: { owner: true, percent_ownership: 60 },
    });
    expect(added.find((p) => p.first_name === 'Dora')?.relationship).toMatchObject({
      director: true,
    });
    expect(added.find((p) => p.id === rita.id)?.relationship?.title).toBe('Managing director');

    // The representative's identity document, as a browser uploads it.
    const document = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${id}/verification`)
      .set('Authorization', await as('gb-company'))
      .attach(`${rita.id}.verification.document`, identityCardPng(), 'passport.png');
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({ currentlyDue: [], pastDue: [], fields: [] });
    await clock.advance(0);
    const enabled = await db.getRepository(Account).findOneByOrFail({ id });
    expect(enabled).toMatchObject({ chargesEnabled: true, payoutsEnabled: true });
  });

  it('completes a submission that failed part-way when it is sent again, without adding anyone twice', async () => {
    const { id } = await create('gb-retry');
    const [rita] = await persons(id);
    const first = {
      ...OWNER,
      ...DIRECTOR,
      // Passes the form's checks (a past date) but Stripe refuses it (under 13): the 2nd person fails.
      'directors.dob': '2020-01-01',
      'company.owners_provided': 'true',
      'company.directors_provided': 'true',
    };
    const failed = await submit('gb-retry', id, first);
    expect(failed.status).toBe(400);
    expect(failed.body.errors).toMatchObject({
      'directors.dob': [expect.stringContaining('13')],
      form: [expect.stringContaining('An owner of the company')],
    });
    // The owner was saved; the attestations were not (they come last, after every person).
    expect((await persons(id)).map((p) => p.first_name).sort()).toEqual(['Otto', 'Rita']);
    const between = await state('gb-retry', id);
    expect(between.currentlyDue).toContain('company.owners_provided');
    expect(between.currentlyDue).not.toContain('owners.first_name');

    // The same form sent again with the date corrected: the owner is recognised, the rest is done.
    const again = await submit('gb-retry', id, {
      ...first,
      'directors.dob': '1902-01-01',
      [`${rita.id}.relationship.title`]: 'Managing director',
    });
    expect(again.status).toBe(200);
    const after = await persons(id);
    expect(after.map((p) => p.first_name).sort()).toEqual(['Dora', 'Otto', 'Rita']);
    expect(again.body.currentlyDue).toEqual([`${rita.id}.verification.document`]);
  });

  it('refuses a section for a role that is no longer due, unless it is the one already added', async () => {
    const { id } = await create('gb-stale');
    expect((await submit('gb-stale', id, OWNER)).status).toBe(200);
    // The same owner again: recognised, nothing added.
    expect((await submit('gb-stale', id, OWNER)).status).toBe(200);
    expect((await persons(id)).filter((p) => p.first_name === 'Otto')).toHaveLength(1);
    // Another owner through a section that is not due any more: not part of the form.
    const other = await submit('gb-stale', id, { ...OWNER, 'owners.first_name': 'Olga' });
    expect(other.status).toBe(400);
    expect(other.body.errors).toHaveProperty(['owners.first_name']);
    expect(JSON.stringify(other.body)).not.toContain('otto@example.com');
  });

  it('asks a US company for owners with the last 4 of their SSN, and no directors', async () => {
    const SF = {
      line1: 'address_full_match',
      city: 'San Francisco',
      state: 'CA',
      postalCode: '94103',
    };
    const created = await request(t.app.getHttpServer())
      .post('/connect/accounts/custom')
      .set('Authorization', await as('us-company'))
      .send({
        ...GB_COMPANY,
        country: 'US',
        company: {
          name: 'Acme Inc.',
          taxId: '000000000',
          phone: '0000000000',
          address: SF,
          representative: {
            ...GB_COMPANY.company.representative,
            phone: '0000000000',
            dob: { day: 1, month: 1, year: 1901 },
            address: SF,
            ssnLast4: '0000',
            title: 'CEO',
          },
        },
        bankAccount: {
          accountHolderName: 'Acme Inc.',
          routingNumber: '110000000',
          accountNumber: '000123456789',
        },
      });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = await state('us-company', id);
    expect(before.currentlyDue.sort()).toEqual(
      [
        'company.owners_provided',
        'owners.address.city',
        'owners.address.line1',
        'owners.address.postal_code',
        'owners.address.state',
        'owners.dob.day',
        'owners.dob.month',
        'owners.dob.year',
        'owners.email',
        'owners.first_name',
        'owners.last_name',
        'owners.ssn_last_4',
      ].sort(),
    );
    const ssn = before.fields.find((f) => f.name === 'owners.ssn_last_4');
    expect(ssn).toMatchObject({ section: 'owners', required: true });
    // A malformed SSN is the form's 400, before anything reaches Stripe; the value is not echoed.
    const bad = await submit('us-company', id, {
      'owners.first_name': 'Otto',
      'owners.ssn_last_4': '12345',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors['owners.ssn_last_4']).toEqual(['is not in the expected format']);
    expect(JSON.stringify(bad.body)).not.toContain('12345');
    const sent = await submit('us-company', id, {
      'owners.first_name': 'Otto',
      'owners.last_name': 'Owner',
      'owners.email': 'otto@example.com',
      'owners.dob': '1901-01-01',
      'owners.address.line1': 'address_full_match',
      'owners.address.city': 'San Francisco',
      'owners.address.state': 'CA',
      'owners.address.postal_code': '94103',
      'owners.ssn_last_4': '0000',
      'company.owners_provided': 'true',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.currentlyDue).toEqual([]);
    const otto = (await persons(id)).find((p) => p.first_name === 'Otto');
    expect(otto).toMatchObject({ ssn_last_4_provided: true, relationship: { owner: true } });
    await clock.advance(0);
    expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
      chargesEnabled: true,
      payoutsEnabled: true,
    });
  });
});
