/** The persons of a company account over REST: a representative from the initial form, then owners. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ADDRESS = {
  line1: 'address_full_match',
  city: 'San Francisco',
  state: 'CA',
  postalCode: '94103',
};
const PERSON = {
  email: 'p@example.com',
  phone: '0000000000',
  dob: { day: 1, month: 1, year: 1901 },
  address: ADDRESS,
  ssnLast4: '0000',
};

describe('company persons', () => {
  let t: TestApp;
  let owner: string;
  let account: string;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    owner = `Bearer ${await t.token('company-owner')}`;
    account = (
      await request(t.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', owner)
        .send({
          country: 'US',
          businessType: 'company',
          company: {
            name: 'Acme Inc.',
            taxId: '000000000',
            phone: '0000000000',
            address: ADDRESS,
            representative: { firstName: 'Rita', lastName: 'Rep', title: 'CEO', ...PERSON },
          },
          bankAccount: {
            accountHolderName: 'Acme Inc.',
            routingNumber: '110000000',
            accountNumber: '000123456789',
          },
          businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
          tosAccepted: true,
        })
        .expect(201)
    ).body.id as string;
    // The representative's person.created webhook is processed.
    await new SandboxClient(t.app.get(EmbeddedSandbox).url).advance(0);
  });
  afterAll(() => t.close());

  const persons = async (auth = owner) =>
    request(t.app.getHttpServer())
      .get(`/connect/accounts/${account}/persons`)
      .set('Authorization', auth);

  it('lists the representative, adds an owner and removes it', async () => {
    const before = (await persons()).body as {
      id: string;
      relationship: Record<string, unknown>;
    }[];
    expect(before).toHaveLength(1);
    expect(before[0].relationship).toMatchObject({ representative: true, title: 'CEO' });
    const added = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${account}/persons`)
      .set('Authorization', owner)
      .send({
        firstName: 'Otto',
        lastName: 'Owner',
        ...PERSON,
        relationship: { owner: true, director: true, percentOwnership: 60 },
      })
      .expect(201);
    expect(added.body).toMatchObject({
      id: expect.stringMatching(/^person_/),
      accountId: account,
      firstName: 'Otto',
      relationship: { owner: true, director: true, percent_ownership: 60 },
    });
    // Personal data stays out of the answer.
    expect(JSON.stringify(added.body)).not.toMatch(/0000|1901|address_full_match/);
    expect(((await persons()).body as unknown[]).length).toBe(2);
    await request(t.app.getHttpServer())
      .delete(`/connect/accounts/${account}/persons/${added.body.id as string}`)
      .set('Authorization', owner)
      .expect(204);
    expect(((await persons()).body as unknown[]).length).toBe(1);
  });

  it('checks the person by the account’s country, and keeps strangers out', async () => {
    const bad = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${account}/persons`)
      .set('Authorization', owner)
      .send({
        firstName: 'Bad',
        lastName: 'Zip',
        ...PERSON,
        address: { ...ADDRESS, postalCode: 'ABC' },
        relationship: { owner: true, percentOwnership: 101 },
      })
      .expect(400);
    expect(Object.keys(bad.body.errors as object).sort()).toEqual([
      'relationship.percentOwnership',
    ]);
    const zip = await request(t.app.getHttpServer())
      .post(`/connect/accounts/${account}/persons`)
      .set('Authorization', owner)
      .send({
        firstName: 'Bad',
        lastName: 'Zip',
        ...PERSON,
        address: { ...ADDRESS, postalCode: 'ABC' },
        relationship: { owner: true },
      })
      .expect(400);
    expect(Object.keys(zip.body.errors as object)).toEqual(['address.postalCode']);
    const stranger = `Bearer ${await t.token('stranger')}`;
    expect((await persons(stranger)).status).toBe(404);
    await request(t.app.getHttpServer())
      .delete(`/connect/accounts/${account}/persons/person_unknown`)
      .set('Authorization', owner)
      .expect(404);
  });
});
