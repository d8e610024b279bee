/** Saved cards: payment methods attached to customers, their default, and charging them, through the SDK. */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeSandbox } from '../../src/stripe-sandbox/index.js';
import { startSandbox } from '../support/sandbox.js';

describe('sandbox payment methods on customers', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let destination: string;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    destination = (
      await stripe.accounts.create({
        type: 'custom',
        country: 'US',
        capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      })
    ).id;
  });
  afterAll(() => sandbox.close());

  const events = async (type: string) => (await stripe.events.list({ type, limit: 100 })).data;

  it('clones a test payment method into a new pm_ of the customer, and lists it', async () => {
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const attached = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(attached.id).toMatch(/^pm_/);
    expect(attached.id).not.toBe('pm_card_visa');
    expect(attached).toMatchObject({
      object: 'payment_method',
      customer: customer.id,
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 },
    });
    // Each attach of a test id is a new payment method.
    const again = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(again.id).not.toBe(attached.id);
    const listed = await stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((pm) => pm.id).sort()).toEqual([attached.id, again.id].sort());
    const byQuery = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(byQuery.data).toHaveLength(2);
    expect(await stripe.customers.retrievePaymentMethod(customer.id, attached.id)).toMatchObject({
      id: attached.id,
    });
    const attachedEvents = await events('payment_method.attached');
    expect(attachedEvents.map((e) => (e.data.object as Stripe.PaymentMethod).id)).toEqual(
      expect.arrayContaining([attached.id, again.id]),
    );
  });

  it('refuses to attach the declining test cards, but takes pm_card_chargeCustomerFail', async () => {
    const customer = await stripe.customers.create({});
    await expect(
      stripe.paymentMethods.attach('pm_card_visa_chargeDeclined', { customer: customer.id }),
    ).rejects.toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    expect(failing.customer).toBe(customer.id);
    await expect(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: failing.id,
        confirm: true,
      }),
    ).rejects.toMatchObject({ type: 'StripeCardError', code: 'card_declined' });
  });

  it('sets the default payment method of a customer only to one attached to it', async () => {
    const customer = await stripe.customers.create({});
    const other = await stripe.customers.create({});
    const theirs = await stripe.paymentMethods.attach('pm_card_mastercard', {
      customer: other.id,
    });
    await expect(
      stripe.customers.update(customer.id, {
        invoice_settings: { default_payment_method: theirs.id },
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'invoice_settings[default_payment_method]',
    });
    await expect(
      stripe.customers.create({ invoice_settings: { default_payment_method: 'pm_card_visa' } }),
    ).rejects.toMatchObject({ param: 'invoice_settings[default_payment_method]' });
    const mine = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const updated = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: mine.id },
    });
    expect(updated.invoice_settings.default_payment_method).toBe(mine.id);
    const updates = (await events('customer.updated')).filter(
      (e) => (e.data.object as Stripe.Customer).id === customer.id,
    );
    expect(updates[0].data.previous_attributes).toMatchObject({
      invoice_settings: { default_payment_method: null },
    });

    // Detached, it is no longer the default, and can never be attached again.
    const detached = await stripe.paymentMethods.detach(mine.id);
    expect(detached.customer).toBeNull();
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      invoice_settings: { default_payment_method: null },
    });
    expect((await events('payment_method.detached')).map((e) => e.data.object)).toContainEqual(
      expect.objectContaining({ id: mine.id, customer: null }),
    );
    await expect(
      stripe.paymentMethods.attach(mine.id, { customer: customer.id }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'payment_method_unexpected_state' });
    await expect(stripe.paymentMethods.detach(mine.id)).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(
      stripe.paymentMethods.attach(theirs.id, { customer: customer.id }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'payment_method_unexpected_state' });
  });

  it('charges a saved card with its customer as a destination charge, and refuses it for another customer', async () => {
    const customer = await stripe.customers.create({});
    const stranger = await stripe.customers.create({});
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const intent = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      payment_method: card.id,
      confirm: true,
      off_session: true,
      transfer_data: { destination },
      application_fee_amount: 300,
    });
    expect(intent).toMatchObject({
      status: 'succeeded',
      customer: customer.id,
      payment_method: card.id,
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({
      customer: customer.id,
      transfer_data: { destination },
      payment_method: card.id,
    });

    await expect(
      stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        customer: stranger.id,
        payment_method: card.id,
        confirm: true,
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'payment_method' });
    await expect(
      stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        payment_method: card.id,
        confirm: true,
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'payment_method' });
    // Confirming later with the other customer's card is refused the same way.
    const open = await stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      customer: stranger.id,
    });
    await expect(
      stripe.paymentIntents.confirm(open.id, { payment_method: card.id }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'payment_method' });
  });

  it('keeps a connected account’s payment methods apart from the platform’s', async () => {
    const customer = await stripe.customers.create({});
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await expect(
      stripe.paymentMethods.retrieve(card.id, {}, { stripeAccount: destination }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(
      stripe.paymentMethods.attach(
        'pm_card_visa',
        { customer: customer.id },
        { stripeAccount: destination },
      ),
    ).rejects.toMatchObject({ statusCode: 404, param: 'customer' });
  });
});
