/**
 * Money in the sandbox as Stripe shapes and counts it: refunds prorate fees and transfers in integers, a charge
 * without a transfer has no `transfer`, a decline's `last_payment_error` carries a whole PaymentMethod.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeSandbox } from '../../src/stripe-sandbox/index.js';
import { createSeller, startSandbox, usdBalance } from '../support/sandbox.js';

describe('sandbox money shapes', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
  });
  afterAll(() => sandbox.close());

  const seller = () => createSeller(stripe);
  const available = (account?: string) => usdBalance(stripe, account);
  const rawCharge = async (id: string) =>
    (await (
      await fetch(`${sandbox.url}/v1/charges/${id}`, {
        headers: { Authorization: 'Bearer sk_test_shapes' },
      })
    ).json()) as Record<string, unknown>;

  it('prorates the reversal and the fee refund of partial refunds in integers, exact halves up', async () => {
    const account = await seller();
    const intent = await stripe.paymentIntents.create({
      amount: 6_600,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      application_fee_amount: 3_333,
      transfer_data: { destination: account.id },
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    const sellerBefore = await available(account.id);
    // 900 of 6,600: the seller's 3,267 and the fee's 3,333 give back 445.5 and 454.5, which doubles
    // compute as 445.49999999999994 and 454.49999999999994.
    const first = await stripe.refunds.create({
      payment_intent: intent.id,
      amount: 900,
      reverse_transfer: true,
      refund_application_fee: true,
    });
    const reversal = (
      await stripe.transfers.retrieve(charge.transfer as string)
    ).reversals.data.find((r) => r.id === first.transfer_reversal);
    expect(reversal?.amount).toBe(446);
    let fee = await stripe.applicationFees.retrieve(charge.application_fee as string);
    expect(fee.amount_refunded).toBe(455);
    expect(await available(account.id)).toBe(sellerBefore - 446 + 455);

    // The rest: each share is capped by what is left, so the totals come out whole.
    await stripe.refunds.create({
      payment_intent: intent.id,
      reverse_transfer: true,
      refund_application_fee: true,
    });
    const transfer = await stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer).toMatchObject({ amount: 3_267, amount_reversed: 3_267, reversed: true });
    fee = await stripe.applicationFees.retrieve(charge.application_fee as string);
    expect(fee).toMatchObject({ amount: 3_333, amount_refunded: 3_333, refunded: true });
    expect(await available(account.id)).toBe(sellerBefore - 3_267 + 3_333);
  });

  it('omits `transfer` on a charge that has none, as Stripe does, and names it on a destination charge', async () => {
    const platform = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(await rawCharge(platform.latest_charge as string)).not.toHaveProperty('transfer');
    const account = await seller();
    const destination = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      transfer_data: { destination: account.id },
    });
    expect(await rawCharge(destination.latest_charge as string)).toMatchObject({
      transfer: expect.stringMatching(/^tr_/),
    });
  });

  it("gives a decline's last_payment_error the whole PaymentMethod, in the error, the intent and its event", async () => {
    const method = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_chargeDeclinedInsufficientFunds' },
      metadata: { buyer: 'b1' },
    });
    const error = (await stripe.paymentIntents
      .create({ amount: 2_000, currency: 'usd', payment_method: method.id, confirm: true })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(error.statusCode).toBe(402);
    const wholeMethod = {
      id: method.id,
      object: 'payment_method',
      type: 'card',
      livemode: false,
      created: expect.any(Number),
      billing_details: { address: null, email: null, name: null, phone: null },
      card: expect.objectContaining({ last4: '9995', brand: 'visa' }),
      metadata: { buyer: 'b1' },
    };
    const intentId = error.payment_intent!.id;
    expect(error.payment_intent!.last_payment_error!.payment_method).toMatchObject(wholeMethod);
    const intent = await stripe.paymentIntents.retrieve(intentId);
    expect(intent.last_payment_error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      payment_method: wholeMethod,
    });
    expect(intent.last_payment_error!.payment_method).not.toHaveProperty('behaviour');
    const [event] = (
      await stripe.events.list({ type: 'payment_intent.payment_failed' })
    ).data.filter((e) => (e.data.object as Stripe.PaymentIntent).id === intentId);
    expect(
      (event.data.object as Stripe.PaymentIntent).last_payment_error?.payment_method,
    ).toMatchObject(wholeMethod);
  });

  it('renders a test PaymentMethod id in last_payment_error as a card, and never its test behaviour on expand', async () => {
    const error = (await stripe.paymentIntents
      .create({
        amount: 2_000,
        currency: 'usd',
        payment_method: 'pm_card_visa_chargeDeclined',
        confirm: true,
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(error.payment_intent!.last_payment_error!.payment_method).toMatchObject({
      id: 'pm_card_visa_chargeDeclined',
      object: 'payment_method',
      card: expect.objectContaining({ last4: '0002' }),
    });
    const method = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_visa' },
    });
    const intent = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: method.id,
      expand: ['payment_method'],
    });
    expect(intent.payment_method).toMatchObject({ id: method.id, object: 'payment_method' });
    expect(intent.payment_method).not.toHaveProperty('behaviour');
  });
});
