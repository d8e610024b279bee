/**
 * The mirror ends equal to Stripe whatever the order of the events: for every family the sync covers, real
 * operations are made in a sandbox, their events are captured from it, and then delivered through the signed
 * HTTP endpoints in every order that matters (as sent, newest first, oldest last, shuffled with duplicates;
 * with Stripe's own one-second times, which tie, and spaced one second apart, which do not). Each order runs on
 * a fresh app and database; afterwards every mirrored row equals the sandbox's current object, field by field.
 */
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Account,
  ApplicationFee,
  Charge,
  Customer,
  ExternalAccount,
  Payout,
  Person,
  Refund,
  StripeEvent,
  Transfer,
  TransferReversal,
} from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { capturedEvents } from './support/sandbox-events.js';
import { startSandbox } from './support/sandbox.js';
import { deliver } from './support/stripe-events.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_ordering_platform';
const CONNECT_SECRET = 'whsec_ordering_connect';
const DAY = 86_400;
/** Inline on both databases; queued (pg-boss workers) on PostgreSQL only. */
const MODES: ('inline' | 'queued')[] = inject('testDatabaseRun').adminUrl
  ? ['inline', 'queued']
  : ['inline'];

/** Queued mode: every stored event processed by the workers (bounded wait), none failed. */
async function processedByWorkers(db: DataSource, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await db.getRepository(StripeEvent).find({ select: { id: true, status: true } });
    if (rows.length === count && rows.every((row) => row.status !== 'pending')) {
      expect(rows.filter((row) => row.status !== 'processed')).toEqual([]);
      return;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${rows.filter((r) => r.status === 'pending').length} event(s) still pending`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What a family's scenario leaves to check: the ids made, compared with the sandbox afterwards. */
interface Made {
  accounts: string[];
  externalAccounts: { account: string; ids: string[] };
  persons: { account: string; ids: string[] };
  customers: { account: string | null; id: string }[];
  intents: { account: string | null; id: string }[];
  refunds: { account: string | null; id: string }[];
  fees: string[];
  transfers: string[];
  payouts: { account: string; id: string }[];
}

type Order = { name: string; arrange: (events: Stripe.Event[]) => Stripe.Event[] };

/** A deterministic shuffle (the same on every run), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const ORDERS: Order[] = [
  { name: 'as sent', arrange: (events) => events },
  { name: 'newest first', arrange: (events) => [...events].reverse() },
  { name: 'oldest last', arrange: (events) => [...events.slice(1), events[0]] },
  {
    name: 'shuffled with duplicates',
    arrange: (events) => shuffled([...events, ...events.filter((_, i) => i % 2 === 0)], 7),
  },
];

describe('the mirror whatever the order of events', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  const captured: Stripe.Event[] = [];
  const made: Made = {
    accounts: [],
    externalAccounts: { account: '', ids: [] },
    persons: { account: '', ids: [] },
    customers: [],
    intents: [],
    refunds: [],
    fees: [],
    transfers: [],
    payouts: [],
  };

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());

    // Accounts, capabilities, external accounts: a seller enabled at once, then changed.
    const seller = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'individual',
      email: 'first@example.com',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      individual: {
        first_name: 'Sam',
        last_name: 'Seller',
        email: 'sam@example.com',
        phone: '0000000000',
        dob: { day: 1, month: 1, year: 1901 },
        address: {
          line1: 'address_full_match',
          city: 'San Francisco',
          state: 'CA',
          postal_code: '94103',
          country: 'US',
        },
        ssn_last_4: '0000',
      },
      business_profile: { mcc: '5734', url: 'https://accessible.stripe.com' },
      tos_acceptance: { date: Math.floor(Date.now() / 1000), ip: '203.0.113.9' },
      external_account: {
        object: 'bank_account',
        country: 'US',
        currency: 'usd',
        routing_number: '110000000',
        account_number: '000123456789',
      } as unknown as string,
    });
    made.accounts.push(seller.id);
    await stripe.accounts.update(seller.id, { email: 'second@example.com' });
    const second = await stripe.accounts.createExternalAccount(seller.id, {
      external_account: {
        object: 'bank_account',
        country: 'US',
        currency: 'usd',
        routing_number: '110000000',
        account_number: '000999999991',
      } as unknown as string,
    });
    const third = await stripe.accounts.createExternalAccount(seller.id, {
      external_account: {
        object: 'bank_account',
        country: 'US',
        currency: 'usd',
        routing_number: '110000000',
        account_number: '000222222227',
      } as unknown as string,
    });
    await stripe.accounts.updateExternalAccount(seller.id, second.id, {
      default_for_currency: true,
    });
    await stripe.accounts.deleteExternalAccount(seller.id, third.id);
    await stripe.accounts.update(seller.id, { email: 'third@example.com' });
    made.externalAccounts = {
      account: seller.id,
      ids: [seller.external_accounts!.data[0].id, second.id, third.id],
    };

    // Persons of a company: created, updated, one deleted.
    const company = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'company',
    });
    made.accounts.push(company.id);
    const kept = await stripe.accounts.createPerson(company.id, {
      first_name: 'Rita',
      last_name: 'Owner',
      relationship: { owner: true, percent_ownership: 60 },
    });
    const gone = await stripe.accounts.createPerson(company.id, {
      first_name: 'Gus',
      last_name: 'Gone',
    });
    await stripe.accounts.updatePerson(company.id, kept.id, { first_name: 'Rita Q.' });
    await stripe.accounts.deletePerson(company.id, gone.id);
    made.persons = { account: company.id, ids: [kept.id, gone.id] };

    // Customers on the platform and on the seller: created, updated, one deleted.
    const buyer = await stripe.customers.create({ email: 'buyer@example.com' });
    await stripe.customers.update(buyer.id, { email: 'buyer2@example.com' });
    const leaving = await stripe.customers.create({ email: 'leaving@example.com' });
    await stripe.customers.del(leaving.id);
    const connected = await stripe.customers.create(
      { email: 'local@example.com' },
      { stripeAccount: seller.id },
    );
    await stripe.customers.update(
      connected.id,
      { email: 'local2@example.com' },
      { stripeAccount: seller.id },
    );
    made.customers.push(
      { account: null, id: buyer.id },
      { account: null, id: leaving.id },
      { account: seller.id, id: connected.id },
    );

    // A destination charge with a fee, authorised, captured, refunded in part (transfer and fee too).
    const intent = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      capture_method: 'manual',
      application_fee_amount: 1_000,
      transfer_data: { destination: seller.id },
    });
    await stripe.paymentIntents.capture(intent.id);
    const refund = await stripe.refunds.create({
      payment_intent: intent.id,
      amount: 2_500,
      reverse_transfer: true,
      refund_application_fee: true,
    });
    made.intents.push({ account: null, id: intent.id });
    made.refunds.push({ account: null, id: refund.id });

    // A direct charge on the seller, refunded in full.
    const direct = await stripe.paymentIntents.create(
      {
        amount: 3_000,
        currency: 'usd',
        payment_method: 'pm_card_bypassPending',
        confirm: true,
        application_fee_amount: 300,
      },
      { stripeAccount: seller.id },
    );
    const directRefund = await stripe.refunds.create(
      { payment_intent: direct.id },
      { stripeAccount: seller.id },
    );
    made.intents.push({ account: seller.id, id: direct.id });
    made.refunds.push({ account: seller.id, id: directRefund.id });

    // A transfer reversed twice (from funds the platform charged for itself); a payout paid on the clock.
    await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
    });
    const transfer = await stripe.transfers.create({
      amount: 2_000,
      currency: 'usd',
      destination: seller.id,
    });
    await stripe.transfers.createReversal(transfer.id, { amount: 500 });
    await stripe.transfers.createReversal(transfer.id, { amount: 700 });
    made.transfers.push(transfer.id);
    const payout = await stripe.payouts.create(
      { amount: 1_000, currency: 'usd' },
      { stripeAccount: seller.id },
    );
    made.payouts.push({ account: seller.id, id: payout.id });
    await sandbox.advanceClock(2 * DAY);

    const fees = await stripe.applicationFees.list({ limit: 100 });
    made.fees.push(...fees.data.map((fee) => fee.id));
    captured.push(...(await capturedEvents(stripe, made.accounts)));
  });
  afterAll(() => sandbox.close());

  it('captured every family’s events', () => {
    const types = new Set(captured.map((event) => event.type));
    for (const type of [
      'account.updated',
      'capability.updated',
      'account.external_account.created',
      'account.external_account.updated',
      'account.external_account.deleted',
      'person.created',
      'person.updated',
      'person.deleted',
      'customer.created',
      'customer.updated',
      'customer.deleted',
      'payment_intent.succeeded',
      'charge.captured',
      'charge.refunded',
      'application_fee.created',
      'application_fee.refunded',
      'transfer.created',
      'transfer.reversed',
      'payout.created',
      'payout.paid',
    ])
      expect(types, type).toContain(type);
  });

  /** Every mirrored row of the scenario equals the sandbox's current object. */
  async function expectMirrorEqualsStripe(db: DataSource): Promise<void> {
    for (const id of made.accounts) {
      const remote = await stripe.accounts.retrieve(id);
      const row = await db.getRepository(Account).findOneByOrFail({ id });
      expect(row, id).toMatchObject({
        email: remote.email ?? null,
        chargesEnabled: remote.charges_enabled,
        payoutsEnabled: remote.payouts_enabled,
        detailsSubmitted: remote.details_submitted,
        capabilities: { ...remote.capabilities },
        metadata: { ...remote.metadata },
      });
    }
    const { account, ids } = made.externalAccounts;
    const externals = (await stripe.accounts.listExternalAccounts(account, { limit: 100 })).data;
    const rows = await db.getRepository(ExternalAccount).findBy({ accountId: account });
    expect(rows.map((r) => [r.id, r.defaultForCurrency, r.status, r.last4]).sort()).toEqual(
      externals
        .map((e) => [
          e.id,
          e.default_for_currency ?? false,
          (e as Stripe.BankAccount).status,
          e.last4,
        ])
        .sort(),
    );
    expect(ids.filter((id) => !externals.some((e) => e.id === id))).toHaveLength(1);

    const persons = (await stripe.accounts.listPersons(made.persons.account, { limit: 100 })).data;
    const personRows = await db.getRepository(Person).findBy({ accountId: made.persons.account });
    expect(personRows.map((r) => [r.id, r.firstName, r.lastName]).sort()).toEqual(
      persons.map((p) => [p.id, p.first_name ?? null, p.last_name ?? null]).sort(),
    );

    for (const { account: scope, id } of made.customers) {
      const remote = await stripe.customers.retrieve(id, {}, scope ? { stripeAccount: scope } : {});
      const row = await db.getRepository(Customer).findOneByOrFail({ id });
      if (remote.deleted) expect(row.deletedAt, id).not.toBeNull();
      else
        expect(row, id).toMatchObject({ deletedAt: null, email: remote.email, accountId: scope });
    }

    for (const { account: scope, id } of made.intents) {
      const as = scope ? { stripeAccount: scope } : {};
      const intent = await stripe.paymentIntents.retrieve(id, {}, as);
      const charge = await stripe.charges.retrieve(intent.latest_charge as string, {}, as);
      expect(await db.getRepository(Charge).findOneByOrFail({ id }), id).toMatchObject({
        status: intent.status,
        amountCaptured: charge.amount_captured,
        amountRefunded: charge.amount_refunded,
        latestChargeId: charge.id,
        accountId: scope,
      });
    }
    for (const { account: scope, id } of made.refunds) {
      const remote = await stripe.refunds.retrieve(id, {}, scope ? { stripeAccount: scope } : {});
      expect(await db.getRepository(Refund).findOneByOrFail({ id }), id).toMatchObject({
        amount: remote.amount,
        status: remote.status,
      });
    }
    for (const id of made.fees) {
      const remote = await stripe.applicationFees.retrieve(id);
      expect(await db.getRepository(ApplicationFee).findOneByOrFail({ id }), id).toMatchObject({
        amount: remote.amount,
        amountRefunded: remote.amount_refunded,
        refunded: remote.refunded,
      });
    }
    for (const id of made.transfers) {
      const remote = await stripe.transfers.retrieve(id);
      expect(await db.getRepository(Transfer).findOneByOrFail({ id }), id).toMatchObject({
        amountReversed: remote.amount_reversed,
        reversed: remote.reversed,
      });
      const reversals = await db.getRepository(TransferReversal).findBy({ transferId: id });
      expect(reversals.map((r) => r.id).sort()).toEqual(
        remote.reversals.data.map((r) => r.id).sort(),
      );
    }
    for (const { account: scope, id } of made.payouts) {
      const remote = await stripe.payouts.retrieve(id, {}, { stripeAccount: scope });
      expect(await db.getRepository(Payout).findOneByOrFail({ id }), id).toMatchObject({
        status: remote.status,
        failureCode: remote.failure_code ?? null,
      });
    }
  }

  const timings = [
    { name: 'Stripe’s own times (ties settled by re-fetching)', spaced: false },
    { name: 'times one second apart', spaced: true },
  ];

  for (const mode of MODES) {
    for (const timing of timings) {
      for (const order of ORDERS) {
        it(`${order.name}, ${timing.name}, ${mode}`, async () => {
          const t: TestApp = await createTestApp({
            stripe: {
              kind: 'stripe',
              secretKey: 'sk_test_ordering',
              apiBase: sandbox.url,
              webhookSecrets: [SECRET],
              connectWebhookSecrets: [CONNECT_SECRET],
            },
            webhookProcessing: { mode, pollIntervalMs: 50 },
          });
          try {
            // Spaced: each event one second after the one Stripe created before it, all in the past.
            const base = Math.floor(Date.now() / 1000) - captured.length - 5;
            const events = captured.map((event, index) =>
              timing.spaced ? { ...event, created: base + index } : event,
            );
            for (const event of order.arrange(events)) {
              await deliver(
                t.app,
                event.account ? CONNECT : PLATFORM,
                event,
                event.account ? CONNECT_SECRET : SECRET,
              ).expect(200);
            }
            const db = t.app.get(DataSource);
            if (mode === 'queued')
              await processedByWorkers(db, new Set(events.map((e) => e.id)).size);
            await expectMirrorEqualsStripe(db);
          } finally {
            await t.close();
          }
        });
      }
    }
  }
});
