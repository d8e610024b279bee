/** Sandbox mode: the app starts the sandbox in-process and receives its events, signed, on its two endpoints. */
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { Account, STRIPE_CLIENT, StripeEvent } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the embedded sandbox', () => {
  let t: TestApp;
  let stripe: Stripe;
  let clock: SandboxClient;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('is what the library’s Stripe client talks to', async () => {
    const url = new URL(t.app.get(EmbeddedSandbox).url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(stripe.getApiField('port')).toBe(Number(url.port));
    await expect(stripe.customers.create({ email: 'first@example.com' })).resolves.toMatchObject({
      object: 'customer',
    });
  });

  it('delivers platform events to /stripe/webhooks and Connect events to /stripe/webhooks/connect, verified with their secrets', async () => {
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      capabilities: { transfers: { requested: true } },
    });
    await clock.advance(0);
    const events = await db.getRepository(StripeEvent).find();
    const created = events.find(
      (e) =>
        e.type === 'customer.created' &&
        (e.payload as { data: { object: { id: string } } }).data.object.id === customer.id,
    );
    expect(created).toMatchObject({ accountId: null, status: 'processed' });
    const capability = events.find(
      (e) => e.type === 'capability.updated' && e.accountId === account.id,
    );
    expect(capability).toMatchObject({ status: 'processed' });
  });

  it('closes the loop: an account created through the SDK shows its requirements in the local mirror', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'individual',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    });
    await stripe.accounts.update(account.id, { individual: { first_name: 'Jane' } });
    await clock.advance(0);
    const row = await db.getRepository(Account).findOneByOrFail({ id: account.id });
    expect(row.type).toBe('custom');
    expect(row.verificationFieldsNeeded).toContain('individual.dob.day');
    expect(row.verificationFieldsNeeded).not.toContain('individual.first_name');
    expect(row.disabledReason).toBe('requirements.past_due');
    expect(row.capabilities).toEqual({ card_payments: 'inactive', transfers: 'inactive' });
  });
});
