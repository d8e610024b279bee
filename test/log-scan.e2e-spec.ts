/**
 * Nothing secret in logs or answers: every flow is run with the Nest logger captured at every level, then the
 * logs are scanned for keys, webhook and state secrets, bearer tokens, bank and ID numbers, document bytes,
 * and the onboarding and OAuth URLs with their states; the answers for everything but the caller's own links.
 */
import request from 'supertest';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_CLIENT, STRIPE_CONNECT_OPTIONS } from '../src/stripe-connect/index.js';
import type { ResolvedStripeConnectOptions } from '../src/stripe-connect/index.js';
import { sellerForm } from './support/forms.js';
import { CapturingLogger } from './support/log-capture.js';
import { deliver, eventOf } from './support/stripe-events.js';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';

const ACCOUNT_NUMBER = '000123456789';
const SECOND_ACCOUNT_NUMBER = '000222333444';
const ID_NUMBER = '987650123';
const DOCUMENT_MARKER = 'DOCUMENT-BYTES-7f3a9c';
const PERSON_DOCUMENT_MARKER = 'PERSON-DOCUMENT-BYTES-2b8e41';
const LONDON = { line1: 'address_full_match', city: 'London', postalCode: 'SW1A 1AA' };

async function visit(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  return new URL(response.headers.get('location') ?? url);
}

describe('secrets in logs and answers', () => {
  let t: TestApp;
  const logs = new CapturingLogger();
  /** Everything answered to a caller, except the links they asked for. */
  const answers: string[] = [];
  /** Strings that must appear in no log line. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox', logger: logs });
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();
  const keep = (response: request.Response) => {
    answers.push(response.text ?? '');
    return response;
  };

  it('runs every flow', { timeout: 120_000 }, async () => {
    const sellerToken = await t.token('scan-seller');
    const opsToken = await t.token('scan-ops', { platform: true });
    secrets.push(sellerToken, opsToken);
    const seller = `Bearer ${sellerToken}`;
    const ops = `Bearer ${opsToken}`;

    // Custom onboarding with bank and ID numbers, a second bank account, the verification form with a document.
    const form = sellerForm(ACCOUNT_NUMBER);
    const account = keep(
      await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', seller)
        .send(form),
    ).body.id as string;
    keep(
      await request(server())
        .post(`/connect/accounts/${account}/external-accounts`)
        .set('Authorization', seller)
        .send({
          bankAccount: {
            accountHolderName: 'Sam Seller',
            routingNumber: '110000000',
            accountNumber: SECOND_ACCOUNT_NUMBER,
          },
        }),
    );
    keep(
      await request(server())
        .post(`/connect/accounts/${account}/verification`)
        .set('Authorization', seller)
        .field('individual.id_number', ID_NUMBER)
        .attach(
          'individual.verification.document',
          Buffer.concat([
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            Buffer.from(DOCUMENT_MARKER),
          ]),
          { filename: 'id.png', contentType: 'image/png' },
        ),
    );
    keep(
      await request(server())
        .post(`/connect/accounts/${account}/verification`)
        .set('Authorization', seller)
        .send({ 'individual.id_number': ID_NUMBER, 'individual.ssn_last_4': '0000' }),
    );

    // A company's persons on the follow-up form: an owner, and the representative's identity document.
    const company = keep(
      await request(server())
        .post('/connect/accounts/custom')
        .set('Authorization', seller)
        .send({
          country: 'GB',
          businessType: 'company',
          company: {
            name: 'Scan Ltd',
            taxId: '000000000',
            phone: '+442071234567',
            address: LONDON,
            representative: {
              firstName: 'Rita',
              lastName: 'Rep',
              email: 'rita@example.com',
              phone: '+447700900000',
              dob: { day: 5, month: 5, year: 1980 },
              address: LONDON,
              title: 'CEO',
            },
          },
          bankAccount: {
            accountHolderName: 'Scan Ltd',
            accountHolderType: 'company',
            sortCode: '10-88-00',
            accountNumber: '00012345',
          },
          businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
          tosAccepted: true,
        }),
    ).body.id as string;
    const representative = (await t.app.get<Stripe>(STRIPE_CLIENT).accounts.listPersons(company))
      .data[0].id;
    const personsSent = keep(
      await request(server())
        .post(`/connect/accounts/${company}/verification`)
        .set('Authorization', seller)
        .field('owners.first_name', 'Otto')
        .field('owners.last_name', 'Owner')
        .field('owners.email', 'otto@example.com')
        .field('owners.dob', '1901-01-01')
        .field('owners.address.line1', 'address_full_match')
        .field('owners.address.city', 'London')
        .field('owners.address.postal_code', 'SW1A 1AA')
        .field('company.owners_provided', 'true')
        .attach(
          `${representative}.verification.document`,
          Buffer.concat([
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            Buffer.from(PERSON_DOCUMENT_MARKER),
          ]),
          { filename: 'rep.png', contentType: 'image/png' },
        ),
    );

    // Hosted onboarding: links and their states, the refresh and return routes.
    const hosted = await request(server())
      .post('/connect/accounts')
      .set('Authorization', seller)
      .send({ type: 'express', country: 'US' });
    const link = hosted.body.onboarding.url as string;
    secrets.push(link);
    const back = await visit(link);
    const refresh = await visit(link);
    for (const url of [back, refresh]) secrets.push(url.searchParams.get('state') ?? 'no-state');
    await request(server()).get(`${refresh.pathname}${refresh.search}`);
    await request(server()).get(`${back.pathname}${back.search}`);
    await request(server()).get(`${back.pathname}${back.search}`); // reused: refused
    const login = await request(server())
      .post(`/connect/accounts/${hosted.body.accountId as string}/login-link`)
      .set('Authorization', seller);
    secrets.push(login.body.url as string);

    // OAuth: the authorize URL's state, the callback and its code, a reuse, deauthorization.
    const authorize = await request(server())
      .get('/connect/oauth/authorize-url')
      .set('Authorization', seller);
    const authorizeUrl = new URL(authorize.body.url as string);
    secrets.push(authorizeUrl.searchParams.get('state')!);
    const callback = await visit(authorizeUrl.toString());
    secrets.push(callback.searchParams.get('code') ?? 'no-code');
    const connected = keep(await request(server()).get(`${callback.pathname}${callback.search}`));
    keep(await request(server()).get(`${callback.pathname}${callback.search}`));
    keep(
      await request(server())
        .post(`/connect/accounts/${connected.body.id as string}/deauthorize`)
        .set('Authorization', seller),
    );

    // Money: a charge, a decline, a refund, a transfer, a payout; a customer.
    const charge = keep(
      await request(server()).post('/connect/charges').set('Authorization', ops).send({
        amount: 5000,
        currency: 'usd',
        paymentMethod: 'pm_card_visa',
        destination: account,
      }),
    );
    keep(
      await request(server())
        .post('/connect/charges')
        .set('Authorization', ops)
        .send({ amount: 5000, currency: 'usd', paymentMethod: 'pm_card_chargeDeclined' }),
    );
    keep(
      await request(server())
        .post(`/connect/charges/${charge.body.id as string}/refunds`)
        .set('Authorization', ops)
        .send({ amount: 100 }),
    );
    keep(
      await request(server())
        .post('/connect/transfers')
        .set('Authorization', ops)
        .send({ amount: 100, currency: 'usd', destination: account }),
    );
    keep(
      await request(server())
        .post(`/connect/accounts/${account}/payouts`)
        .set('Authorization', seller)
        .send({ amount: 100, currency: 'usd' }),
    );
    keep(
      await request(server())
        .post(`/connect/accounts/${account}/customers`)
        .set('Authorization', `Bearer ${await t.token('scan-buyer')}`)
        .send({ email: 'buyer@example.com' }),
    );

    // A platform customer saves a card, then replaces it.
    const cardBuyer = `Bearer ${await t.token('scan-card-buyer')}`;
    const saved = keep(
      await request(server())
        .post('/connect/customers')
        .set('Authorization', cardBuyer)
        .send({ paymentMethod: 'pm_card_visa' }),
    );
    keep(
      await request(server())
        .put('/connect/customers/me/payment-method')
        .set('Authorization', cardBuyer)
        .send({ paymentMethod: 'pm_card_mastercard' }),
    );

    // Webhooks: a good delivery, a forged one, one with a bad body.
    const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    const config = t.config.stripe as { connectWebhookSecrets: string[] };
    const event = eventOf('account.updated', await stripe.accounts.retrieve(account), { account });
    keep(await deliver(t.app, '/stripe/webhooks/connect', event, config.connectWebhookSecrets[0]));
    keep(await deliver(t.app, '/stripe/webhooks/connect', event, 'whsec_forged_secret_value'));
    keep(
      await request(server()).post('/stripe/webhooks').set('Content-Type', 'text/plain').send('x'),
    );
    // A bad bearer token.
    keep(
      await request(server()).get('/connect/accounts').set('Authorization', 'Bearer abc.def.ghi'),
    );

    // The flows ran for real (their answers are what the routes do).
    expect(account).toMatch(/^acct_/);
    expect(hosted.status).toBe(201);
    expect(connected.status).toBe(200);
    expect(charge.status).toBe(201);
    expect(company).toMatch(/^acct_/);
    expect(personsSent.status).toBe(200);
    expect(saved.status).toBe(201);
    expect(logs.lines.length).toBeGreaterThan(10);
  });

  it('logs none of the secrets', () => {
    const stripeConfig = t.config.stripe as {
      secretKey: string;
      webhookSecrets: string[];
      connectWebhookSecrets: string[];
    };
    const options = t.app.get<ResolvedStripeConnectOptions>(STRIPE_CONNECT_OPTIONS);
    const always = [
      stripeConfig.secretKey,
      ...stripeConfig.webhookSecrets,
      ...stripeConfig.connectWebhookSecrets,
      'whsec_forged_secret_value',
      TEST_JWT_SECRET,
      options.onboarding.stateSecret,
      ACCOUNT_NUMBER,
      SECOND_ACCOUNT_NUMBER,
      ID_NUMBER,
      DOCUMENT_MARKER,
      PERSON_DOCUMENT_MARKER,
      // Stripe's test card numbers behind pm_card_visa and pm_card_mastercard: never ours to see.
      '4242424242424242',
      '5555555555554444',
    ];
    const text = logs.text();
    for (const secret of [...always, ...secrets]) {
      expect(secret.length).toBeGreaterThan(5);
      expect(text.includes(secret), `log holds ${secret.slice(0, 24)}…`).toBe(false);
    }
    // No URL with a state or an OAuth code either, whatever its value.
    expect(text).not.toMatch(/[?&](state|code)=/);
    expect(text).not.toMatch(/Bearer\s+ey/);

    const answered = answers.join('\n');
    for (const secret of always)
      expect(answered.includes(secret), `an answer holds ${secret.slice(0, 24)}…`).toBe(false);
  });
});
