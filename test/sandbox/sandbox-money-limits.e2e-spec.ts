/**
 * The sandbox refuses what Stripe refuses: currencies Stripe does not support (a 400 `invalid_request_error` on
 * `currency`), amounts beyond 99,999,999 or below a currency's minimum charge, and three-decimal amounts not
 * ending in 0; and takes what Stripe takes (small refunds, transfers and fees; uppercase codes).
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeSandbox } from '../../src/stripe-sandbox/index.js';
import { createSeller, startSandbox } from '../support/sandbox.js';

describe('sandbox money limits', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let seller: Stripe.Account;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    seller = await createSeller(stripe);
  });
  afterAll(() => sandbox.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('Stripe would have refused this request');
      },
      (error: Stripe.errors.StripeError) => ({
        status: error.statusCode,
        type: error.type,
        param: error.param,
        code: error.code,
        message: error.message,
      }),
    );
  const intent = (amount: number, currency: string) =>
    stripe.paymentIntents.create({ amount, currency });

  it('refuses a currency Stripe does not support on PaymentIntents, transfers and payouts, storing nothing', async () => {
    const before = (await stripe.events.list({ type: 'payment_intent.created' })).data.length;
    for (const request of [
      intent(1_000, 'xyz'),
      stripe.transfers.create({ amount: 100, currency: 'xyz', destination: seller.id }),
      stripe.payouts.create({ amount: 100, currency: 'xyz' }, { stripeAccount: seller.id }),
    ]) {
      expect(await refusal(request)).toMatchObject({
        status: 400,
        type: 'StripeInvalidRequestError',
        param: 'currency',
        message: expect.stringMatching(/^Invalid currency: xyz\. Stripe currently supports/),
      });
    }
    // Codes retired by Stripe or never currencies are refused too; a supported code in capitals is taken.
    expect(await refusal(intent(1_000, 'hrk'))).toMatchObject({ status: 400, param: 'currency' });
    expect(await refusal(intent(1_000, 'us'))).toMatchObject({ status: 400, param: 'currency' });
    expect(await intent(1_000, 'USD')).toMatchObject({ currency: 'usd' });
    expect((await stripe.events.list({ type: 'payment_intent.created' })).data.length).toBe(
      before + 1,
    );
  });

  it('refuses amounts above 99,999,999 in any currency, and takes 99,999,999', async () => {
    for (const currency of ['usd', 'jpy', 'idr']) {
      expect(await refusal(intent(100_000_000, currency))).toMatchObject({
        status: 400,
        param: 'amount',
        code: 'amount_too_large',
      });
      expect(await intent(99_999_990, currency)).toMatchObject({ amount: 99_999_990 });
    }
    expect(await intent(99_999_999, 'usd')).toMatchObject({ amount: 99_999_999 });
    expect(
      await refusal(
        stripe.transfers.create({ amount: 100_000_000, currency: 'usd', destination: seller.id }),
      ),
    ).toMatchObject({ status: 400, param: 'amount', code: 'amount_too_large' });
  });

  it("holds a charge to its currency's minimum, shown in the currency's units", async () => {
    for (const [currency, minimum, shown] of [
      ['usd', 50, '0.50 usd'],
      ['gbp', 30, '0.30 gbp'],
      ['jpy', 50, '50 jpy'],
      ['huf', 17_500, '175.00 huf'],
      ['mxn', 1_000, '10.00 mxn'],
      ['hkd', 400, '4.00 hkd'],
    ] as const) {
      expect(await refusal(intent(minimum - 1, currency))).toMatchObject({
        status: 400,
        param: 'amount',
        code: 'amount_too_small',
        message: `Amount must be at least ${shown}`,
      });
      expect(await intent(minimum, currency)).toMatchObject({ amount: minimum, currency });
    }
  });

  it('asks three-decimal amounts to end in 0, and refuses non-integers and non-positives', async () => {
    expect(await refusal(intent(1_005, 'kwd'))).toMatchObject({ code: 'invalid_amount' });
    expect(await intent(1_010, 'kwd')).toMatchObject({ amount: 1_010 });
    const raw = async (body: string) =>
      await fetch(`${sandbox.url}/v1/payment_intents`, {
        method: 'POST',
        headers: {
          Authorization: 'Bearer sk_test_limits',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body,
      });
    for (const amount of ['10.5', '-100', '0', '1e3', '']) {
      const answer = await raw(`amount=${encodeURIComponent(amount)}&currency=usd`);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { param: string } }).error.param).toBe('amount');
    }
  });

  it('takes refunds, transfers and fees below the minimum charge: the minimum is for charges', async () => {
    const paid = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      application_fee_amount: 1,
      transfer_data: { destination: seller.id },
    });
    expect(await stripe.refunds.create({ payment_intent: paid.id, amount: 10 })).toMatchObject({
      amount: 10,
      status: 'succeeded',
    });
    // Funds of the platform's own, for a transfer.
    await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
    });
    expect(
      await stripe.transfers.create({ amount: 1, currency: 'usd', destination: seller.id }),
    ).toMatchObject({ amount: 1 });
  });
});
