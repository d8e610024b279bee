/**
 * The sandbox objects the conformance check looks at: one of every object, made through the official SDK in
 * the situations that shape them differently (platform, direct and destination charges, declines, failed
 * payouts, hosted onboarding, OAuth), with the events they emit.
 */
import type Stripe from 'stripe';
import type { StripeSandbox } from '../stripe-sandbox.js';

/** Records a sample: a label, the schema of Stripe's spec it must conform to, and the value. */
export type AddSample = (label: string, schema: string, value: unknown) => void;

const DAY = 86_400;

/** Accounts, persons, files, links, bank accounts and capabilities; answers the individual account. */
export async function accountSamples(stripe: Stripe, add: AddSample): Promise<Stripe.Account> {
  const individual = await stripe.accounts.create({
    type: 'custom',
    country: 'US',
    business_type: 'individual',
    email: 'jane@example.com',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    business_profile: { mcc: '5734', url: 'https://accessible.stripe.com' },
    individual: {
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
    },
    tos_acceptance: { date: 1_700_000_000, ip: '203.0.113.7' },
    external_account: 'btok_us',
    metadata: { sample: 'individual' },
  });
  add('custom individual account', 'account', individual);
  add(
    'updated account',
    'account',
    await stripe.accounts.update(individual.id, { email: 'jane.doe@example.com' }),
  );
  const company = await stripe.accounts.create({
    type: 'custom',
    country: 'GB',
    business_type: 'company',
    company: { name: 'Acme Ltd', tax_id: '000000000', owners_provided: true },
  });
  add('custom company account', 'account', company);
  await companySamples(stripe, add, company);
  await bankSamples(stripe, add, individual);
  return individual;
}

/** A company's person, identity file, links; other account types; a rejection. */
async function companySamples(stripe: Stripe, add: AddSample, company: Stripe.Account) {
  add(
    'person',
    'person',
    await stripe.accounts.createPerson(company.id, {
      first_name: 'Rita',
      last_name: 'Rep',
      id_number: '000000000',
      relationship: { representative: true, title: 'CEO' },
    }),
  );
  add(
    'file',
    'file',
    await stripe.files.create(
      {
        purpose: 'identity_document',
        file: {
          data: Buffer.from('%PDF-1.4 test'),
          name: 'id.pdf',
          type: 'application/octet-stream',
        },
      },
      { stripeAccount: company.id },
    ),
  );
  add(
    'login link',
    'login_link',
    await stripe.accounts.createLoginLink(
      (await stripe.accounts.create({ type: 'express', country: 'US' })).id,
    ),
  );
  add(
    'account link',
    'account_link',
    await stripe.accountLinks.create({
      account: company.id,
      type: 'account_update',
      refresh_url: 'https://example.com/r',
      return_url: 'https://example.com/b',
    }),
  );
  add(
    'express account',
    'account',
    await stripe.accounts.create({ type: 'express', country: 'US' }),
  );
  add(
    'standard account',
    'account',
    await stripe.accounts.create({ type: 'standard', country: 'CA' }),
  );
  add('platform account', 'account', await stripe.accounts.retrieveCurrent());
  add('rejected account', 'account', await stripe.accounts.reject(company.id, { reason: 'other' }));
}

/** A bank account added, listed and deleted; capabilities requested and not. */
async function bankSamples(stripe: Stripe, add: AddSample, individual: Stripe.Account) {
  const bank = await stripe.accounts.createExternalAccount(individual.id, {
    external_account: {
      object: 'bank_account',
      country: 'US',
      currency: 'usd',
      routing_number: '110000000',
      account_number: '000111111116',
    } as unknown as string,
  });
  add('bank account', 'bank_account', bank);
  add(
    'external account list',
    'bank_account',
    (await stripe.accounts.listExternalAccounts(individual.id)).data[0],
  );
  add(
    'capability',
    'capability',
    await stripe.accounts.retrieveCapability(individual.id, 'card_payments'),
  );
  add(
    'unrequested capability',
    'capability',
    await stripe.accounts.retrieveCapability(individual.id, 'us_bank_account_ach_payments'),
  );
  add(
    'deleted bank account',
    'deleted_bank_account',
    await stripe.accounts.deleteExternalAccount(individual.id, bank.id),
  );
}

export async function customerSamples(
  stripe: Stripe,
  add: AddSample,
  account: Stripe.Account,
): Promise<void> {
  const customer = await stripe.customers.create({
    email: 'buyer@example.com',
    name: 'Buyer',
    address: { line1: '1 Main St', city: 'Springfield', country: 'US' },
    metadata: { user: 'u1' },
  });
  add('customer', 'customer', customer);
  add(
    'connected customer',
    'customer',
    await stripe.customers.create({ email: 'c@example.com' }, { stripeAccount: account.id }),
  );
  add(
    'updated customer',
    'customer',
    await stripe.customers.update(customer.id, { name: 'Renamed' }),
  );
  add('deleted customer', 'deleted_customer', await stripe.customers.del(customer.id));
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/hook',
    enabled_events: ['*'],
    connect: true,
  });
  add('webhook endpoint', 'webhook_endpoint', endpoint);
  add(
    'deleted webhook endpoint',
    'deleted_webhook_endpoint',
    await stripe.webhookEndpoints.del(endpoint.id),
  );
}

/** The latest event of some types, platform and connected (all events are checked besides). */
export async function eventSamples(
  stripe: Stripe,
  add: AddSample,
  account: Stripe.Account,
): Promise<void> {
  for (const type of ['customer.created', 'customer.updated', 'customer.deleted']) {
    add(`event ${type}`, 'event', (await stripe.events.list({ type, limit: 1 })).data[0]);
  }
  for (const type of [
    'account.updated',
    'capability.updated',
    'account.external_account.created',
    'account.external_account.deleted',
    'customer.created',
  ]) {
    add(
      `event ${type}`,
      'event',
      (await stripe.events.list({ type, limit: 1 }, { stripeAccount: account.id })).data[0],
    );
  }
}

export async function moneySamples(stripe: Stripe, add: AddSample): Promise<void> {
  const seller = await stripe.accounts.create({
    type: 'custom',
    country: 'US',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    external_account: 'btok_us',
  });
  const intent = await stripe.paymentIntents.create({
    amount: 10_000,
    currency: 'usd',
    payment_method: 'pm_card_bypassPending',
    confirm: true,
    application_fee_amount: 1_000,
    transfer_data: { destination: seller.id },
  });
  add('payment intent', 'payment_intent', intent);
  const charge = await stripe.charges.retrieve(intent.latest_charge as string);
  add('charge', 'charge', charge);
  add(
    'application fee',
    'application_fee',
    await stripe.applicationFees.retrieve(charge.application_fee as string),
  );
  add(
    'refund',
    'refund',
    await stripe.refunds.create({
      payment_intent: intent.id,
      amount: 1_000,
      reverse_transfer: true,
    }),
  );
  add('transfer', 'transfer', await stripe.transfers.retrieve(charge.transfer as string));
  add(
    'transfer reversal',
    'transfer_reversal',
    await stripe.transfers.createReversal(charge.transfer as string, { amount: 100 }),
  );
  add(
    'payout',
    'payout',
    await stripe.payouts.create({ amount: 1_000, currency: 'usd' }, { stripeAccount: seller.id }),
  );
  add('balance', 'balance', await stripe.balance.retrieve({}, { stripeAccount: seller.id }));
  add(
    'payment method',
    'payment_method',
    await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } }),
  );
}

/**
 * A saved card: a test payment method attached to a customer (cloned), made its default, listed, charged as a
 * destination charge with its customer, then detached (`payment_method.attached|detached`, `customer.updated`).
 */
export async function savedCardSamples(stripe: Stripe, add: AddSample): Promise<void> {
  const seller = await stripe.accounts.create({
    type: 'custom',
    country: 'US',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
  });
  const customer = await stripe.customers.create({ email: 'saver@example.com' });
  const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  add('attached payment method', 'payment_method', card);
  add(
    'customer with a default payment method',
    'customer',
    await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: card.id },
    }),
  );
  const list = await stripe.customers.listPaymentMethods(customer.id);
  add('customer payment method', 'payment_method', list.data[0]);
  add(
    'payment method by customer',
    'payment_method',
    await stripe.customers.retrievePaymentMethod(customer.id, card.id),
  );
  const intent = await stripe.paymentIntents.create({
    amount: 4_200,
    currency: 'usd',
    customer: customer.id,
    payment_method: card.id,
    confirm: true,
    off_session: true,
    transfer_data: { destination: seller.id },
    on_behalf_of: seller.id,
  });
  add('payment intent with a saved card', 'payment_intent', intent);
  add(
    'charge of a saved card',
    'charge',
    await stripe.charges.retrieve(intent.latest_charge as string),
  );
  add('detached payment method', 'payment_method', await stripe.paymentMethods.detach(card.id));
  for (const type of ['payment_method.attached', 'payment_method.detached']) {
    add(`event ${type}`, 'event', (await stripe.events.list({ type, limit: 1 })).data[0]);
  }
}

/** A person updated then deleted: `person.updated` and `person.deleted`. */
export async function personSamples(stripe: Stripe, add: AddSample): Promise<void> {
  const company = await stripe.accounts.create({
    type: 'custom',
    country: 'US',
    business_type: 'company',
    company: { name: 'Beta Inc' },
  });
  const person = await stripe.accounts.createPerson(company.id, {
    first_name: 'Ann',
    relationship: { owner: true, percent_ownership: 50 },
  });
  add(
    'updated person',
    'person',
    await stripe.accounts.updatePerson(company.id, person.id, {
      last_name: 'Lee',
      relationship: { director: true },
    }),
  );
  add(
    'deleted person',
    'deleted_person',
    await stripe.accounts.deletePerson(company.id, person.id),
  );
}

async function sellerWith(stripe: Stripe, accountNumber: string): Promise<Stripe.Account> {
  return stripe.accounts.create({
    type: 'custom',
    country: 'US',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    external_account: {
      object: 'bank_account',
      country: 'US',
      currency: 'usd',
      routing_number: '110000000',
      account_number: accountNumber,
    } as unknown as string,
  });
}

/** Platform charges, manual capture, cancellation and a declined card (its error carries the PaymentIntent). */
export async function paymentSamples(stripe: Stripe, add: AddSample): Promise<void> {
  const platform = await stripe.paymentIntents.create({
    amount: 2_000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
  });
  add('platform charge', 'charge', await stripe.charges.retrieve(platform.latest_charge as string));
  const manual = await stripe.paymentIntents.create({
    amount: 3_000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    capture_method: 'manual',
    confirm: true,
  });
  add('uncaptured payment intent', 'payment_intent', manual);
  add('uncaptured charge', 'charge', await stripe.charges.retrieve(manual.latest_charge as string));
  add(
    'partly captured payment intent',
    'payment_intent',
    await stripe.paymentIntents.capture(manual.id, { amount_to_capture: 2_500 }),
  );
  const open = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd' });
  add('canceled payment intent', 'payment_intent', await stripe.paymentIntents.cancel(open.id));
  const declined = await stripe.paymentIntents
    .create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa_chargeDeclined',
      confirm: true,
    })
    .catch((e: Stripe.errors.StripeError) => ({ error: e.raw }));
  add('card error', 'error', declined);
  const intent = (declined as { error: { payment_intent: Stripe.PaymentIntent } }).error
    .payment_intent;
  add('declined payment intent', 'payment_intent', await stripe.paymentIntents.retrieve(intent.id));
  add('failed charge', 'charge', await stripe.charges.retrieve(intent.latest_charge as string));
}

/**
 * A direct charge with an application fee, refunded in part with the fee; a payout that fails and one that
 * is paid; pending funds made available by the clock.
 */
export async function connectedMoneySamples(
  stripe: Stripe,
  sandbox: StripeSandbox,
  add: AddSample,
): Promise<void> {
  const seller = await sellerWith(stripe, '000123456789');
  const onSeller = { stripeAccount: seller.id };
  const direct = await stripe.paymentIntents.create(
    {
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      application_fee_amount: 555,
    },
    onSeller,
  );
  add(
    'direct charge',
    'charge',
    await stripe.charges.retrieve(direct.latest_charge as string, {}, onSeller),
  );
  add(
    'partial refund with its fee',
    'refund',
    await stripe.refunds.create(
      { payment_intent: direct.id, amount: 1_234, refund_application_fee: true },
      onSeller,
    ),
  );
  add(
    'paid payout',
    'payout',
    await stripe.payouts.create({ amount: 1_000, currency: 'usd' }, onSeller),
  );
  const failing = await sellerWith(stripe, '000111111116');
  await stripe.paymentIntents.create({
    amount: 10_000,
    currency: 'usd',
    payment_method: 'pm_card_bypassPending',
    confirm: true,
    transfer_data: { destination: failing.id },
  });
  const payout = await stripe.payouts.create(
    { amount: 2_000, currency: 'usd' },
    { stripeAccount: failing.id },
  );
  await stripe.paymentIntents.create({
    amount: 4_000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    transfer_data: { destination: failing.id },
  });
  await sandbox.advanceClock(3 * DAY);
  add(
    'failed payout',
    'payout',
    await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: failing.id }),
  );
}

/** An express account's onboarding link followed; a standard account connected through OAuth, then not. */
export async function hostedSamples(
  stripe: Stripe,
  sandbox: StripeSandbox,
  add: AddSample,
): Promise<void> {
  const express = await stripe.accounts.create({ type: 'express', country: 'US' });
  const link = await stripe.accountLinks.create({
    account: express.id,
    type: 'account_onboarding',
    refresh_url: 'https://example.com/r',
    return_url: 'https://example.com/b',
  });
  await fetch(link.url, { redirect: 'manual' });
  add('onboarded express account', 'account', await stripe.accounts.retrieve(express.id));
  const authorize = new URL('/oauth/authorize', sandbox.url);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'ca_conformance',
    redirect_uri: 'https://example.com/oauth',
    scope: 'read_write',
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
  const oauth = async (path: string, form: Record<string, string>) =>
    (await fetch(new URL(path, sandbox.url), {
      method: 'POST',
      headers: {
        Authorization: 'Bearer sk_test_conformance',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
    }).then((r) => r.json())) as { stripe_user_id: string };
  const token = await oauth('/oauth/token', { grant_type: 'authorization_code', code });
  add('OAuth-connected account', 'account', await stripe.accounts.retrieve(token.stripe_user_id));
  await oauth('/oauth/deauthorize', {
    client_id: 'ca_conformance',
    stripe_user_id: token.stripe_user_id,
  });
}
