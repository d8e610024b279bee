/** The built-in sync of each event family, through the signed HTTP endpoint, on this run's database. */
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Account,
  ApplicationFee,
  Charge,
  Customer,
  ExternalAccount,
  Person,
  Refund,
  Transfer,
  TransferReversal,
} from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { startSandbox } from './support/sandbox.js';
import { deliver, eventOf } from './support/stripe-events.js';
import {
  applicationFeeOf,
  chargeOf,
  disputeOf,
  paymentIntentOf,
  personOf,
  refundOf,
  reversalOf,
  transferOf,
} from './support/stripe-objects.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_sync_platform';
const CONNECT_SECRET = 'whsec_sync_connect';

describe('built-in sync', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let t: TestApp;
  let db: DataSource;
  let seq = 0;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    t = await createTestApp({
      stripe: {
        kind: 'stripe',
        secretKey: 'sk_test_sync',
        apiBase: sandbox.url,
        webhookSecrets: [SECRET],
        connectWebhookSecrets: [CONNECT_SECRET],
      },
    });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });

  /** Event times that move forward, one second apart. */
  const at = () => Math.floor(Date.now() / 1000) + (seq += 1);
  const toPlatform = (type: string, object: object) =>
    deliver(t.app, PLATFORM, eventOf(type, object, { created: at() }), SECRET).expect(200);
  const toConnect = (type: string, object: object, account: string) =>
    deliver(
      t.app,
      CONNECT,
      eventOf(type, object, { account, created: at() }),
      CONNECT_SECRET,
    ).expect(200);

  it('external accounts: the sandbox’s own events create, update and delete the rows', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      external_account: 'btok_us',
    });
    const second = (await stripe.accounts.createExternalAccount(account.id, {
      external_account: {
        object: 'bank_account',
        country: 'US',
        currency: 'usd',
        routing_number: '110000000',
        account_number: '000999999991',
      } as unknown as string,
      default_for_currency: true,
    })) as Stripe.BankAccount;
    const first = account.external_accounts!.data[0];
    await stripe.accounts.deleteExternalAccount(account.id, first.id);
    const events = (
      await stripe.events.list(
        { limit: 100, type: 'account.external_account.*' },
        { stripeAccount: account.id },
      )
    ).data.reverse();
    expect(events.map((e) => e.type)).toEqual([
      'account.external_account.created',
      'account.external_account.updated',
      'account.external_account.created',
      'account.external_account.deleted',
    ]);
    for (const event of events) {
      await deliver(t.app, CONNECT, { ...event, created: at() }, CONNECT_SECRET).expect(200);
    }
    const rows = await db.getRepository(ExternalAccount).findBy({ accountId: account.id });
    expect(rows.map((r) => [r.id, r.defaultForCurrency, r.last4, r.bankName])).toEqual([
      [second.id, true, '9991', 'STRIPE TEST BANK'],
    ]);
  });

  it('persons: created, updated and deleted', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'company',
    });
    const person = personOf({ id: `person_${at()}`, account: account.id });
    await toConnect('person.created', person, account.id);
    await toConnect(
      'person.updated',
      {
        ...person,
        first_name: 'Rita Q.',
        verification: { status: 'verified' } as Stripe.Person.Verification,
      },
      account.id,
    );
    expect(await db.getRepository(Person).findOneByOrFail({ id: person.id })).toMatchObject({
      accountId: account.id,
      firstName: 'Rita Q.',
      verificationStatus: 'verified',
      relationship: { representative: true, title: 'CEO' },
    });
    await toConnect('person.deleted', person, account.id);
    expect(await db.getRepository(Person).existsBy({ id: person.id })).toBe(false);
  });

  it('payment intents and charges: a destination charge, its capture, refund and dispute', async () => {
    const seller = await stripe.accounts.create({ type: 'express', country: 'US' });
    const id = `pi_dest_${at()}`;
    const intent = paymentIntentOf({
      id,
      amount: 5000,
      application_fee_amount: 500,
      transfer_data: { destination: seller.id },
      transfer_group: 'order-17',
      customer: 'cus_buyer',
      capture_method: 'manual',
      status: 'requires_capture',
      amount_capturable: 5000,
    });
    await toPlatform('payment_intent.amount_capturable_updated', intent);
    const capturable = await db.getRepository(Charge).findOneByOrFail({ id });
    expect(capturable).toMatchObject({
      accountId: null,
      destinationAccountId: seller.id,
      customerId: 'cus_buyer',
      amount: 5000,
      currency: 'usd',
      status: 'requires_capture',
      captureMethod: 'manual',
      applicationFeeAmount: 500,
      transferGroup: 'order-17',
      amountCaptured: 0,
    });
    // The destination account was unknown locally: it was fetched from Stripe.
    expect(await db.getRepository(Account).findOneByOrFail({ id: seller.id })).toMatchObject({
      type: 'express',
    });

    await toPlatform('payment_intent.succeeded', {
      ...intent,
      status: 'succeeded',
      amount_received: 5000,
      amount_capturable: 0,
      latest_charge: 'ch_dest',
    });
    const charge = chargeOf({
      id: 'ch_dest',
      payment_intent: id,
      amount: 5000,
      amount_captured: 5000,
    });
    const refund = refundOf({
      id: `re_${at()}`,
      amount: 1500,
      charge: 'ch_dest',
      payment_intent: id,
      status: 'pending',
    });
    await toPlatform('charge.refunded', {
      ...charge,
      amount_refunded: 1500,
      refunds: {
        object: 'list',
        data: [refund],
        has_more: false,
        url: '/v1/charges/ch_dest/refunds',
      },
    });
    await toPlatform('charge.refund.updated', { ...refund, status: 'succeeded' });
    await toPlatform(
      'charge.dispute.created',
      disputeOf({ id: `dp_${at()}`, charge: 'ch_dest', payment_intent: id }),
    );

    expect(await db.getRepository(Charge).findOneByOrFail({ id })).toMatchObject({
      status: 'succeeded',
      amountCaptured: 5000,
      amountRefunded: 1500,
      latestChargeId: 'ch_dest',
      disputed: true,
    });
    expect(await db.getRepository(Refund).findOneByOrFail({ id: refund.id })).toMatchObject({
      paymentIntentId: id,
      chargeObjectId: 'ch_dest',
      amount: 1500,
      status: 'succeeded',
    });

    // A later payment_intent event keeps what the charge events recorded.
    await toPlatform('payment_intent.updated', {
      ...intent,
      status: 'succeeded',
      amount_received: 5000,
      latest_charge: 'ch_dest',
      metadata: { note: 'x' },
    });
    expect(await db.getRepository(Charge).findOneByOrFail({ id })).toMatchObject({
      amountRefunded: 1500,
      disputed: true,
    });
  });

  it('a direct charge lives on the connected account, with its payment error', async () => {
    const seller = await stripe.accounts.create({ type: 'standard', country: 'US' });
    const intent = paymentIntentOf({
      id: `pi_direct_${at()}`,
      status: 'requires_payment_method',
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    });
    await toConnect('payment_intent.payment_failed', intent, seller.id);
    expect(await db.getRepository(Charge).findOneByOrFail({ id: intent.id })).toMatchObject({
      accountId: seller.id,
      destinationAccountId: null,
      status: 'requires_payment_method',
      lastPaymentError: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
  });

  it('transfers and their reversals', async () => {
    const seller = await stripe.accounts.create({ type: 'custom', country: 'US' });
    const id = `tr_${at()}`;
    await toPlatform(
      'transfer.created',
      transferOf({ id, destination: seller.id, transfer_group: 'order-18', amount: 1500 }),
    );
    const reversal = reversalOf({ id: `trr_${at()}`, transfer: id, amount: 500 });
    await toPlatform(
      'transfer.reversed',
      transferOf({
        id,
        destination: seller.id,
        transfer_group: 'order-18',
        amount: 1500,
        amount_reversed: 500,
        reversals: {
          object: 'list',
          data: [reversal],
          has_more: false,
          url: `/v1/transfers/${id}/reversals`,
        },
      }),
    );
    expect(await db.getRepository(Transfer).findOneByOrFail({ id })).toMatchObject({
      destinationAccountId: seller.id,
      amount: 1500,
      amountReversed: 500,
      transferGroup: 'order-18',
    });
    expect(
      await db.getRepository(TransferReversal).findOneByOrFail({ id: reversal.id }),
    ).toMatchObject({ transferId: id, amount: 500 });
  });

  it('application fees, linked to the payment they came from', async () => {
    const seller = await stripe.accounts.create({ type: 'standard', country: 'US' });
    const intent = paymentIntentOf({
      id: `pi_fee_${at()}`,
      status: 'succeeded',
      amount_received: 2000,
      latest_charge: 'ch_fee_source',
      application_fee_amount: 200,
    });
    await toConnect('payment_intent.succeeded', intent, seller.id);
    const fee = applicationFeeOf({
      id: `fee_${at()}`,
      account: seller.id,
      charge: 'ch_fee_source',
      amount: 200,
    });
    await toPlatform('application_fee.created', fee);
    await toPlatform('application_fee.refunded', { ...fee, amount_refunded: 200, refunded: true });
    expect(await db.getRepository(ApplicationFee).findOneByOrFail({ id: fee.id })).toMatchObject({
      accountId: seller.id,
      paymentIntentId: intent.id,
      chargeObjectId: 'ch_fee_source',
      amount: 200,
      amountRefunded: 200,
      refunded: true,
    });
  });

  it('a customer of an account the mirror lacks: the account is fetched, then the customer written', async () => {
    const seller = await stripe.accounts.create({ type: 'standard', country: 'US' });
    const customer = await stripe.customers.create(
      { email: 'buyer@example.com' },
      { stripeAccount: seller.id },
    );
    expect(await db.getRepository(Account).existsBy({ id: seller.id })).toBe(false);
    await toConnect('customer.updated', customer, seller.id);
    expect(await db.getRepository(Account).findOneByOrFail({ id: seller.id })).toMatchObject({
      type: 'standard',
    });
    expect(await db.getRepository(Customer).findOneByOrFail({ id: customer.id })).toMatchObject({
      accountId: seller.id,
      email: 'buyer@example.com',
    });
  });
});
