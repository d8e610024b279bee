/** Accounts, external accounts, capabilities, customers and their events, through the official SDK. */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeSandbox } from '../../src/stripe-sandbox/index.js';
import { startSandbox } from '../support/sandbox.js';

const US_BANK = {
  object: 'bank_account',
  country: 'US',
  currency: 'usd',
  routing_number: '110000000',
  account_number: '000123456789',
  account_holder_name: 'Jane Doe',
  account_holder_type: 'individual',
} as const;

const US_INDIVIDUAL: Stripe.AccountCreateParams.Individual = {
  first_name: 'Jane',
  last_name: 'Doe',
  email: 'jane@example.com',
  phone: '0000000000',
  dob: { day: 1, month: 1, year: 1901 },
  address: {
    line1: 'address_full_match',
    city: 'San Francisco',
    state: 'CA',
    postal_code: '94103',
  },
  ssn_last_4: '0000',
};

describe('sandbox accounts', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
  });
  afterAll(() => sandbox.close());

  async function eventsFor(account: string, type: string): Promise<Stripe.Event[]> {
    return (await stripe.events.list({ type, limit: 100 }, { stripeAccount: account })).data;
  }

  it('creates a custom account with everything its country and business type need currently due', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'individual',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    });
    expect(account).toMatchObject({
      object: 'account',
      type: 'custom',
      country: 'US',
      default_currency: 'usd',
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      capabilities: { card_payments: 'inactive', transfers: 'inactive' },
      controller: {
        type: 'application',
        requirement_collection: 'application',
        stripe_dashboard: { type: 'none' },
      },
    });
    expect(account.requirements!.currently_due).toEqual(
      expect.arrayContaining([
        'business_profile.mcc',
        'business_profile.url',
        'external_account',
        'individual.address.city',
        'individual.address.line1',
        'individual.address.postal_code',
        'individual.address.state',
        'individual.dob.day',
        'individual.dob.month',
        'individual.dob.year',
        'individual.email',
        'individual.first_name',
        'individual.last_name',
        'individual.phone',
        'individual.ssn_last_4',
        'tos_acceptance.date',
        'tos_acceptance.ip',
      ]),
    );
    expect(account.requirements!.disabled_reason).toBe('requirements.past_due');
    expect(account.future_requirements).toMatchObject({ currently_due: [], eventually_due: [] });
    const capabilityEvents = await eventsFor(account.id, 'capability.updated');
    expect(capabilityEvents.map((e) => (e.data.object as Stripe.Capability).id).sort()).toEqual([
      'card_payments',
      'transfers',
    ]);
    expect(capabilityEvents.every((e) => e.account === account.id)).toBe(true);
  });

  it('takes fields away from currently_due as they are supplied, and enables the account when complete', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'individual',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      individual: { first_name: 'Jane', last_name: 'Doe' },
    });
    expect(account.requirements!.currently_due).not.toContain('individual.first_name');
    expect(account.requirements!.currently_due).toContain('individual.dob.day');

    const updated = await stripe.accounts.update(account.id, {
      individual: US_INDIVIDUAL,
      business_profile: { mcc: '5734', url: 'https://accessible.stripe.com' },
      tos_acceptance: { date: 1_700_000_000, ip: '203.0.113.7', user_agent: 'Mozilla/5.0' },
      external_account: US_BANK as unknown as string,
    });
    expect(updated.requirements!.currently_due).toEqual([]);
    expect(updated).toMatchObject({
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      capabilities: { card_payments: 'active', transfers: 'active' },
    });
    // Stripe never returns id numbers.
    expect(updated.individual).toMatchObject({ ssn_last_4_provided: true, first_name: 'Jane' });
    expect(JSON.stringify(updated)).not.toContain('"ssn_last_4":');

    const [event] = await eventsFor(account.id, 'account.updated');
    expect(event.account).toBe(account.id);
    expect((event.data.object as Stripe.Account).charges_enabled).toBe(true);
    expect(event.data.previous_attributes).toMatchObject({
      charges_enabled: false,
      capabilities: { card_payments: 'inactive', transfers: 'inactive' },
    });
    expect(event.request).toMatchObject({ id: expect.stringMatching(/^req_/) });
    const capabilityUpdates = await eventsFor(account.id, 'capability.updated');
    expect(
      capabilityUpdates.filter((e) => (e.data.object as Stripe.Capability).status === 'active'),
    ).toHaveLength(2);
    expect(await eventsFor(account.id, 'account.external_account.created')).toHaveLength(1);
  });

  it('needs company fields of a company', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'GB',
      business_type: 'company',
    });
    expect(account.default_currency).toBe('gbp');
    expect(account.requirements!.currently_due).toEqual(
      expect.arrayContaining([
        'company.name',
        'company.tax_id',
        'company.address.line1',
        'company.owners_provided',
        'owners.first_name',
      ]),
    );
    expect(account.requirements!.currently_due).not.toContain('company.address.state');
    const updated = await stripe.accounts.update(account.id, {
      company: { name: 'Acme Ltd', tax_id: '000000000', owners_provided: true },
    });
    expect(updated.company).toMatchObject({
      name: 'Acme Ltd',
      tax_id_provided: true,
      owners_provided: true,
    });
    expect(updated.requirements!.currently_due).not.toContain('company.name');
    expect(updated.requirements!.currently_due).not.toContain('company.owners_provided');
    // No owner was named and the company says it named them all: none is due.
    expect(updated.requirements!.currently_due).not.toContain('owners.first_name');
  });

  describe('company persons, as requirements names them', () => {
    const roots = (due: string[] | null) =>
      [...new Set((due ?? []).map((path) => path.split('.')[0]))].sort();
    const company = (country: string) =>
      stripe.accounts.create({ type: 'custom', country, business_type: 'company' });

    it('asks a US company for its representative and owners, a GB one also directors, a DE one also executives', async () => {
      const us = await company('US');
      expect(us.requirements!.currently_due).toEqual(
        expect.arrayContaining([
          'representative.first_name',
          'representative.dob.day',
          'representative.relationship.title',
          'representative.ssn_last_4',
          'representative.address.state',
          'owners.first_name',
          'owners.ssn_last_4',
          'company.owners_provided',
        ]),
      );
      expect(roots(us.requirements!.currently_due)).not.toContain('directors');
      expect(us.requirements!.currently_due).not.toContain('company.directors_provided');
      const gb = await company('GB');
      expect(gb.requirements!.currently_due).toEqual(
        expect.arrayContaining([
          'representative.first_name',
          'owners.email',
          'directors.first_name',
          'directors.dob.year',
          'company.owners_provided',
          'company.directors_provided',
        ]),
      );
      expect(gb.requirements!.currently_due).not.toContain('representative.ssn_last_4');
      expect(roots(gb.requirements!.currently_due)).not.toContain('executives');
      const de = await company('DE');
      expect(de.requirements!.currently_due).toEqual(
        expect.arrayContaining([
          'executives.first_name',
          'company.executives_provided',
          'company.directors_provided',
        ]),
      );
    });

    it('turns a role into person_<id> fields once a person holds it, and clears them when given', async () => {
      const account = await company('GB');
      const person = await stripe.accounts.createPerson(account.id, {
        first_name: 'Dora',
        last_name: 'Director',
        relationship: { director: true, owner: true, percent_ownership: 40 },
      });
      let due = (await stripe.accounts.retrieve(account.id)).requirements!.currently_due!;
      expect(due.filter((p) => p.startsWith('directors.') || p.startsWith('owners.'))).toEqual([]);
      expect(due).toEqual(
        expect.arrayContaining([
          `${person.id}.email`,
          `${person.id}.dob.day`,
          `${person.id}.address.line1`,
          'company.directors_provided',
        ]),
      );
      expect(due).not.toContain(`${person.id}.first_name`);
      // The person's own requirements say the same, in the person's field names.
      expect(person.requirements!.currently_due).toEqual(
        expect.arrayContaining(['email', 'dob.day', 'address.line1']),
      );
      expect(person.requirements!.currently_due).not.toContain('first_name');
      // A date of birth that does not verify: Stripe asks for an identity document instead.
      await stripe.accounts.updatePerson(account.id, person.id, {
        email: 'dora@example.com',
        dob: { day: 2, month: 3, year: 1980 },
        address: { line1: 'address_full_match', city: 'London', postal_code: 'SW1A 1AA' },
      });
      const failed = await stripe.accounts.retrieve(account.id);
      expect(failed.requirements!.currently_due!.filter((p) => p.startsWith(person.id))).toEqual([
        `${person.id}.verification.document`,
      ]);
      expect(failed.requirements!.errors).toContainEqual(
        expect.objectContaining({
          requirement: `${person.id}.verification.document`,
          code: 'verification_failed_keyed_identity',
        }),
      );
      await stripe.accounts.updatePerson(account.id, person.id, {
        verification: { document: { front: 'file_identity_document_success' } },
      });
      await stripe.accounts.update(account.id, {
        company: { owners_provided: true, directors_provided: true },
      });
      due = (await stripe.accounts.retrieve(account.id)).requirements!.currently_due!;
      expect(due).not.toContain('company.owners_provided');
      expect(due).not.toContain('company.directors_provided');
      expect(roots(due)).not.toContain(person.id);
      expect(due).toContain('representative.first_name');
    });
  });

  it('creates express and standard accounts, and accounts from controller properties', async () => {
    const express = await stripe.accounts.create({
      type: 'express',
      country: 'US',
      capabilities: { transfers: { requested: true } },
    });
    expect(express).toMatchObject({
      type: 'express',
      controller: { stripe_dashboard: { type: 'express' }, requirement_collection: 'stripe' },
    });
    expect(express.requirements!.currently_due).toContain('business_type');
    const standard = await stripe.accounts.create({ type: 'standard', country: 'CA' });
    expect(standard).toMatchObject({
      type: 'standard',
      default_currency: 'cad',
      controller: { stripe_dashboard: { type: 'full' } },
    });
    expect(Object.keys(standard.capabilities!).sort()).toEqual(['card_payments', 'transfers']);
    const viaController = await stripe.accounts.create({
      country: 'US',
      controller: {
        fees: { payer: 'application' },
        losses: { payments: 'application' },
        requirement_collection: 'application',
        stripe_dashboard: { type: 'none' },
      },
    });
    expect(viaController.type).toBe('custom');
    await expect(
      stripe.accounts.create({ type: 'express', tos_acceptance: { date: 1, ip: '1.1.1.1' } }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'tos_acceptance' });
  });

  it('refuses invalid fields with their param, storing nothing', async () => {
    const before = (await stripe.accounts.list({ limit: 100 })).data.length;
    const dob = (await stripe.accounts
      .create({
        type: 'custom',
        country: 'US',
        individual: { dob: { day: 1, month: 13, year: 1990 } },
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(dob).toMatchObject({ statusCode: 400, param: 'individual[dob][month]' });
    const bank = (await stripe.accounts
      .create({
        type: 'custom',
        country: 'US',
        external_account: { ...US_BANK, routing_number: '110000001' } as unknown as string,
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(bank).toMatchObject({
      statusCode: 400,
      param: 'external_account[routing_number]',
      code: 'routing_number_invalid',
    });
    const country = (await stripe.accounts
      .create({ type: 'custom', country: 'ZZ' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(country).toMatchObject({ statusCode: 400, param: 'country' });
    expect((await stripe.accounts.list({ limit: 100 })).data.length).toBe(before);
  });

  it('retrieves, lists, rejects and deletes accounts', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      metadata: { seller: '7' },
    });
    await expect(stripe.accounts.retrieve(account.id)).resolves.toMatchObject({
      id: account.id,
      metadata: { seller: '7' },
    });
    const asItself = await stripe.accounts.retrieveCurrent({}, { stripeAccount: account.id });
    expect(asItself.id).toBe(account.id);
    const platform = await stripe.accounts.retrieveCurrent();
    expect(platform.id).not.toBe(account.id);
    expect((await stripe.accounts.list({ limit: 100 })).data.map((a) => a.id)).toContain(
      account.id,
    );

    const rejected = await stripe.accounts.reject(account.id, { reason: 'fraud' });
    expect(rejected.requirements!.disabled_reason).toBe('rejected.fraud');
    expect(rejected.charges_enabled).toBe(false);
    const [update] = await eventsFor(account.id, 'account.updated');
    expect(update.data.previous_attributes).toMatchObject({
      requirements: { disabled_reason: 'requirements.past_due' },
    });

    await expect(stripe.accounts.del(account.id)).resolves.toMatchObject({
      id: account.id,
      deleted: true,
    });
    await expect(stripe.accounts.retrieve(account.id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('requests capabilities one by one', async () => {
    const account = await stripe.accounts.create({ type: 'custom', country: 'FR' });
    const capability = await stripe.accounts.updateCapability(account.id, 'transfers', {
      requested: true,
    });
    expect(capability).toMatchObject({
      id: 'transfers',
      object: 'capability',
      account: account.id,
      requested: true,
      status: 'inactive',
    });
    const list = await stripe.accounts.listCapabilities(account.id);
    expect(list.data.map((c) => c.id)).toEqual(['transfers']);
    const unrequested = await stripe.accounts.retrieveCapability(account.id, 'card_payments');
    expect(unrequested.status).toBe('unrequested');
    const [event] = await eventsFor(account.id, 'capability.updated');
    expect(event.data.object).toMatchObject({ id: 'transfers', status: 'inactive' });
  });

  describe('external accounts', () => {
    const cases: [string, string, Record<string, string>][] = [
      ['US', 'usd', { routing_number: '110000000', account_number: '000123456789' }],
      ['CA', 'cad', { routing_number: '11000-000', account_number: '000123456789' }],
      ['GB', 'gbp', { routing_number: '108800', account_number: '00012345' }],
      ['AU', 'aud', { routing_number: '110000', account_number: '000123456' }],
      ['DE', 'eur', { account_number: 'DE89370400440532013000' }],
    ];
    for (const [country, currency, numbers] of cases) {
      it(`takes ${country} test bank numbers`, async () => {
        const account = await stripe.accounts.create({ type: 'custom', country });
        const bank = (await stripe.accounts.createExternalAccount(account.id, {
          external_account: {
            object: 'bank_account',
            country,
            currency,
            ...numbers,
          } as unknown as string,
        })) as Stripe.BankAccount;
        expect(bank).toMatchObject({
          object: 'bank_account',
          account: account.id,
          country,
          currency,
          default_for_currency: true,
          status: 'new',
          last4: numbers.account_number.slice(-4),
        });
        expect(JSON.stringify(bank)).not.toContain(numbers.account_number);
      });
    }

    it('refuses a bad IBAN and a bad sort code', async () => {
      const de = await stripe.accounts.create({ type: 'custom', country: 'DE' });
      await expect(
        stripe.accounts.createExternalAccount(de.id, {
          external_account: {
            object: 'bank_account',
            country: 'DE',
            currency: 'eur',
            account_number: 'DE00370400440532013000',
          } as unknown as string,
        }),
      ).rejects.toMatchObject({ statusCode: 400, param: 'external_account[account_number]' });
      const gb = await stripe.accounts.create({ type: 'custom', country: 'GB' });
      await expect(
        stripe.accounts.createExternalAccount(gb.id, {
          external_account: {
            object: 'bank_account',
            country: 'GB',
            currency: 'gbp',
            routing_number: '1088',
            account_number: '00012345',
          } as unknown as string,
        }),
      ).rejects.toMatchObject({ statusCode: 400, param: 'external_account[routing_number]' });
    });

    it('moves default_for_currency, refuses deleting the default, lists, updates and deletes', async () => {
      const account = await stripe.accounts.create({
        type: 'custom',
        country: 'US',
        external_account: 'btok_us',
      });
      const first = account.external_accounts!.data[0] as Stripe.BankAccount;
      const second = (await stripe.accounts.createExternalAccount(account.id, {
        external_account: { ...US_BANK, account_number: '000111111116' },
        default_for_currency: true,
      })) as Stripe.BankAccount;
      expect(second.default_for_currency).toBe(true);
      const refreshed = (await stripe.accounts.retrieveExternalAccount(
        account.id,
        first.id,
      )) as Stripe.BankAccount;
      expect(refreshed.default_for_currency).toBe(false);
      const flipped = (await eventsFor(account.id, 'account.external_account.updated'))[0];
      expect(flipped.data.object).toMatchObject({ id: first.id, default_for_currency: false });
      expect(flipped.data.previous_attributes).toEqual({ default_for_currency: true });

      await expect(
        stripe.accounts.deleteExternalAccount(account.id, second.id),
      ).rejects.toMatchObject({ statusCode: 400 });
      const renamed = (await stripe.accounts.updateExternalAccount(account.id, first.id, {
        account_holder_name: 'Jane Q. Doe',
        metadata: { note: 'old' },
      })) as Stripe.BankAccount;
      expect(renamed).toMatchObject({
        account_holder_name: 'Jane Q. Doe',
        metadata: { note: 'old' },
      });
      await expect(
        stripe.accounts.deleteExternalAccount(account.id, first.id),
      ).resolves.toMatchObject({ id: first.id, deleted: true });
      const listed = await stripe.accounts.listExternalAccounts(account.id, {
        object: 'bank_account',
      });
      expect(listed.data.map((b) => b.id)).toEqual([second.id]);
      const deleted = await eventsFor(account.id, 'account.external_account.deleted');
      expect(deleted.map((e) => (e.data.object as Stripe.BankAccount).id)).toEqual([first.id]);
    });
  });

  describe('customers', () => {
    it('creates, retrieves, updates, lists and deletes, on the platform and on a connected account, with events', async () => {
      const account = await stripe.accounts.create({ type: 'custom', country: 'US' });
      for (const stripeAccount of [undefined, account.id]) {
        const options = stripeAccount ? { stripeAccount } : {};
        const customer = await stripe.customers.create(
          { email: 'c@example.com', name: 'C', metadata: { user: 'u1' } },
          options,
        );
        expect(customer).toMatchObject({
          object: 'customer',
          email: 'c@example.com',
          livemode: false,
          metadata: { user: 'u1' },
        });
        const updated = await stripe.customers.update(
          customer.id,
          { name: 'Carol', metadata: { user: '' } },
          options,
        );
        expect(updated).toMatchObject({ name: 'Carol', metadata: {} });
        await expect(stripe.customers.retrieve(customer.id, {}, options)).resolves.toMatchObject({
          name: 'Carol',
        });
        await expect(stripe.customers.del(customer.id, {}, options)).resolves.toMatchObject({
          id: customer.id,
          deleted: true,
        });
        await expect(stripe.customers.retrieve(customer.id, {}, options)).resolves.toMatchObject({
          deleted: true,
        });

        const types = (await stripe.events.list({ limit: 100, type: 'customer.*' }, options)).data
          .filter((e) => (e.data.object as Stripe.Customer).id === customer.id)
          .map((e) => e.type);
        expect(types).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
        const [updateEvent] = (
          await stripe.events.list({ limit: 100, type: 'customer.updated' }, options)
        ).data;
        expect(updateEvent.data.previous_attributes).toEqual({
          name: 'C',
          metadata: { user: 'u1' },
        });
        expect(updateEvent.account).toBe(stripeAccount);
      }
    });
  });

  it('retrieves and lists events of the account they belong to', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      capabilities: { transfers: { requested: true } },
    });
    const [event] = await eventsFor(account.id, 'capability.updated');
    await expect(
      stripe.events.retrieve(event.id, {}, { stripeAccount: account.id }),
    ).resolves.toMatchObject({
      id: event.id,
      type: 'capability.updated',
      account: account.id,
      api_version: '2026-10-28.endive',
      livemode: false,
    });
    await expect(stripe.events.retrieve(event.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  describe('files and persons', () => {
    it('takes multipart uploads owned by the uploading account, checked by content', async () => {
      const account = await stripe.accounts.create({ type: 'custom', country: 'US' });
      const pdf = Buffer.from('%PDF-1.4\n% test document\n');
      const file = await stripe.files.create(
        {
          purpose: 'identity_document',
          file: { data: pdf, name: 'id.pdf', type: 'application/octet-stream' },
        },
        { stripeAccount: account.id },
      );
      expect(file).toMatchObject({
        object: 'file',
        purpose: 'identity_document',
        type: 'pdf',
        size: pdf.length,
        filename: 'id.pdf',
      });
      await expect(stripe.files.retrieve(file.id)).rejects.toMatchObject({ statusCode: 404 });
      await expect(
        stripe.files.create(
          {
            purpose: 'identity_document',
            file: { data: Buffer.from('plain text'), name: 'id.png', type: 'image/png' },
          },
          { stripeAccount: account.id },
        ),
      ).rejects.toMatchObject({ statusCode: 400, param: 'file' });
      // A file of another account cannot be attached.
      const other = await stripe.accounts.create({
        type: 'custom',
        country: 'US',
        business_type: 'individual',
      });
      await expect(
        stripe.accounts.update(other.id, {
          individual: { verification: { document: { front: file.id } } },
        }),
      ).rejects.toMatchObject({
        statusCode: 404,
        param: 'individual[verification][document][front]',
      });
    });

    it('keeps persons of a company; a representative satisfies representative.*', async () => {
      const account = await stripe.accounts.create({
        type: 'custom',
        country: 'US',
        business_type: 'company',
      });
      expect(account.requirements!.currently_due).toContain('representative.first_name');
      const person = await stripe.accounts.createPerson(account.id, {
        first_name: 'Rita',
        last_name: 'Rep',
        id_number: '000000000',
        relationship: { representative: true, title: 'CEO' },
      });
      expect(person).toMatchObject({
        object: 'person',
        account: account.id,
        id_number_provided: true,
        relationship: { representative: true, title: 'CEO' },
      });
      expect(JSON.stringify(person)).not.toContain('000000000');
      const updated = await stripe.accounts.retrieve(account.id);
      expect(updated.requirements!.currently_due).not.toContain('representative.first_name');
      expect(updated.requirements!.currently_due).toContain(`${person.id}.dob.day`);
      expect(updated.requirements!.currently_due).not.toContain(`${person.id}.ssn_last_4`);
      const renamed = await stripe.accounts.updatePerson(account.id, person.id, {
        first_name: 'Rita Q.',
      });
      expect(renamed.first_name).toBe('Rita Q.');
      expect(
        (await stripe.accounts.listPersons(account.id, { relationship: { representative: true } }))
          .data,
      ).toHaveLength(1);
      const types = (await eventsFor(account.id, 'person.updated')).map((e) => e.type);
      expect(types).toEqual(['person.updated']);
      await expect(stripe.accounts.deletePerson(account.id, person.id)).resolves.toMatchObject({
        deleted: true,
      });
      expect((await stripe.accounts.retrieve(account.id)).requirements!.currently_due).toContain(
        'representative.first_name',
      );
    });
  });

  describe("Stripe's test identity values", () => {
    const individual = (overrides: Stripe.AccountCreateParams.Individual) =>
      stripe.accounts.create({
        type: 'custom',
        country: 'US',
        business_type: 'individual',
        capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        business_profile: { mcc: '5734', url: 'https://accessible.stripe.com' },
        tos_acceptance: { date: 1_700_000_000, ip: '203.0.113.7' },
        external_account: 'btok_us',
        individual: { ...US_INDIVIDUAL, ...overrides },
      });

    it('verifies 1901-01-01 and 1902-01-01, fails any other date of birth, flags 1900-01-01', async () => {
      for (const year of [1901, 1902]) {
        expect((await individual({ dob: { day: 1, month: 1, year } })).charges_enabled).toBe(true);
      }
      const other = await individual({ dob: { day: 5, month: 5, year: 1990 } });
      expect(other.requirements!.currently_due).toEqual([
        'individual.dob.day',
        'individual.dob.month',
        'individual.dob.year',
      ]);
      expect(other.requirements!.errors).toEqual([
        expect.objectContaining({
          code: 'verification_failed_keyed_identity',
          requirement: 'individual.dob.day',
        }),
      ]);
      const listed = await individual({ dob: { day: 1, month: 1, year: 1900 } });
      expect(listed).toMatchObject({
        charges_enabled: false,
        requirements: { disabled_reason: 'listed' },
      });
    });

    it('fails address_no_match and address_line1_no_match, and id number 111111111', async () => {
      const noMatch = await individual({
        address: { ...US_INDIVIDUAL.address, line1: 'address_no_match' },
      });
      expect(noMatch.requirements!.currently_due).toEqual(['individual.address.line1']);
      const line1 = await individual({
        address: { ...US_INDIVIDUAL.address, line1: 'address_line1_no_match' },
      });
      expect(line1.requirements!.currently_due).toEqual([
        'individual.address.city',
        'individual.address.line1',
        'individual.address.postal_code',
      ]);
      expect(line1.requirements!.errors![0]).toMatchObject({
        code: 'verification_failed_address_match',
      });
      const mismatch = await individual({ id_number: '111111111' });
      expect(mismatch.requirements!.currently_due).toEqual(['individual.id_number']);
      const fixed = await stripe.accounts.update(mismatch.id, {
        individual: { id_number: '222222222' },
      });
      expect(fixed).toMatchObject({
        charges_enabled: true,
        requirements: { currently_due: [], errors: [] },
      });
    });

    it('takes the identity document test tokens', async () => {
      const verified = await individual({
        verification: { document: { front: 'file_identity_document_success' } },
      });
      expect(verified.requirements!.eventually_due).not.toContain(
        'individual.verification.document',
      );
      expect(verified.individual!.verification!.status).toBe('verified');
      const failed = await individual({
        verification: { document: { front: 'file_identity_document_failure' } },
      });
      expect(failed.requirements!.eventually_due).toContain('individual.verification.document');
      expect(failed.requirements!.errors).toEqual([
        expect.objectContaining({ code: 'verification_document_failed_other' }),
      ]);
    });
  });
});
