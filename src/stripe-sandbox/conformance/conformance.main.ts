/**
 * `npm run sandbox:conformance -- <path to spec3.json>`: creates one of every object the sandbox serves,
 * through the official SDK, and checks each against Stripe's OpenAPI schema for it. Exits 1 on any violation.
 */
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { StripeSandbox } from '../stripe-sandbox.js';
import { SchemaChecker, type OpenApiSchema, type SchemaViolation } from './schema-check.js';

/**
 * Required by the 2024 spec but absent from the `stripe` 23 SDK's types for API 2026-10-28 (none so far).
 * Each entry names the schema and property, and is only allowed absent, never wrong.
 */
const ABSENT_ALLOWED = new Set<string>([]);

async function main(): Promise<number> {
  const specPath = process.argv[2];
  if (!specPath) {
    console.error('Usage: npm run sandbox:conformance -- <path to spec3.json>');
    return 2;
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
    info: { version: string };
    components: { schemas: Record<string, OpenApiSchema> };
  };
  const checker = new SchemaChecker(spec.components.schemas, { absentAllowed: ABSENT_ALLOWED });
  const sandbox = await StripeSandbox.start();
  const stripe = new Stripe('sk_test_conformance', {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const samples: [string, string, unknown][] = [];
  const add = (label: string, schema: string, value: unknown) =>
    samples.push([label, schema, value]);
  try {
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
    add(
      'rejected account',
      'account',
      await stripe.accounts.reject(company.id, { reason: 'other' }),
    );
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
      await stripe.customers.create({ email: 'c@example.com' }, { stripeAccount: individual.id }),
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
        (await stripe.events.list({ type, limit: 1 }, { stripeAccount: individual.id })).data[0],
      );
    }
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
    add('deleted account', 'deleted_account', await stripe.accounts.del(individual.id));
    const error = await stripe.customers
      .retrieve('cus_missing')
      .catch((e: Stripe.errors.StripeError) => ({ error: e.raw }));
    add('error', 'error', error);
  } finally {
    await sandbox.close();
  }

  // An event's `data.object` is checked against the schema of the object it carries.
  for (const [label, schema, value] of [...samples]) {
    const object = (value as Stripe.Event | undefined)?.data?.object as
      { object?: string } | undefined;
    if (schema === 'event' && object?.object) add(`${label} data.object`, object.object, object);
  }

  let violations = 0;
  console.log(
    `Checking ${samples.length} sandbox objects against Stripe's OpenAPI spec ${spec.info.version}`,
  );
  for (const [label, schema, value] of samples) {
    const found: SchemaViolation[] =
      value === undefined
        ? [{ path: label, message: 'no sample was produced' }]
        : checker.check(value, schema);
    violations += found.length;
    console.log(`${found.length ? 'FAIL' : 'ok  '} ${label} (${schema})`);
    for (const violation of found) console.log(`     ${violation.path}: ${violation.message}`);
  }
  console.log(
    `${samples.length - samples.filter(([, s, v]) => v !== undefined && checker.check(v, s).length).length} of ${samples.length} conform; ${violations} violation(s)`,
  );
  return violations ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
