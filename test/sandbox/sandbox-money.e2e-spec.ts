/** Money in the sandbox, through the official SDK: charges, fees, balances, refunds, transfers, payouts. */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClient, type StripeSandbox } from '../../src/stripe-sandbox/index.js';
import { createSeller, startSandbox, usdBalance } from '../support/sandbox.js';

const DAY = 86_400;

describe('sandbox money', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;
  let clock: SandboxClient;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
    clock = new SandboxClient(sandbox.url);
  });
  afterAll(() => sandbox.close());

  const seller = (externalAccount?: string) => createSeller(stripe, externalAccount);
  const available = (account?: string) => usdBalance(stripe, account);
  const pending = (account?: string) => usdBalance(stripe, account, 'pending');

  it('makes a destination charge with an application fee: the seller gets the net, the platform the fee', async () => {
    const account = await seller();
    const platformBefore = await available();
    const intent = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      application_fee_amount: 1_000,
      transfer_data: { destination: account.id },
      transfer_group: 'order-1',
    });
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount_received: 10_000,
      latest_charge: expect.stringMatching(/^ch_/),
    });
    expect(await available(account.id)).toBe(9_000);
    expect((await available()) - platformBefore).toBe(1_000);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({
      captured: true,
      transfer: expect.stringMatching(/^tr_/),
      application_fee: expect.stringMatching(/^fee_/),
    });
    const fee = await stripe.applicationFees.retrieve(charge.application_fee as string);
    expect(fee).toMatchObject({ account: account.id, amount: 1_000, charge: charge.id });
    const transfer = await stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer).toMatchObject({
      destination: account.id,
      amount: 9_000,
      source_transaction: charge.id,
      transfer_group: 'order-1',
    });
  });

  it('keeps ordinary card funds pending until their available_on on the clock', async () => {
    const account = await seller();
    await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      transfer_data: { destination: account.id },
    });
    expect(await pending(account.id)).toBe(5_000);
    expect(await available(account.id)).toBe(0);
    await clock.advance(2 * DAY);
    expect(await available(account.id)).toBe(5_000);
    const events = await stripe.events.list(
      { type: 'balance.available' },
      { stripeAccount: account.id },
    );
    expect(events.data.length).toBeGreaterThan(0);
  });

  it('makes a direct charge on the connected account with a fee, and captures a manual authorisation in part', async () => {
    const account = await seller();
    const direct = await stripe.paymentIntents.create(
      {
        amount: 10_000,
        currency: 'usd',
        payment_method: 'pm_card_bypassPending',
        confirm: true,
        application_fee_amount: 500,
      },
      { stripeAccount: account.id },
    );
    expect(direct.status).toBe('succeeded');
    expect(await available(account.id)).toBe(9_500);
    await expect(stripe.paymentIntents.retrieve(direct.id)).rejects.toMatchObject({
      statusCode: 404,
    });

    const held = await stripe.paymentIntents.create({
      amount: 8_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      capture_method: 'manual',
    });
    expect(held).toMatchObject({ status: 'requires_capture', amount_capturable: 8_000 });
    const captured = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 6_000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 6_000 });
  });

  it('declines with the test cards’ codes: a 402 card error, and the intent keeps the error', async () => {
    const error = (await stripe.paymentIntents
      .create({
        amount: 2_000,
        currency: 'usd',
        payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds',
        confirm: true,
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'insufficient_funds',
    });
    const intents = await stripe.paymentIntents.list({ limit: 1 });
    expect(intents.data[0]).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
  });

  it('refunds with reverse_transfer and refund_application_fee', async () => {
    const account = await seller();
    const intent = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      application_fee_amount: 1_000,
      transfer_data: { destination: account.id },
    });
    const refund = await stripe.refunds.create({
      payment_intent: intent.id,
      amount: 5_000,
      reverse_transfer: true,
      refund_application_fee: true,
    });
    expect(refund).toMatchObject({
      status: 'succeeded',
      amount: 5_000,
      transfer_reversal: expect.stringMatching(/^trr_/),
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 5_000, refunded: false });
    expect((await stripe.transfers.retrieve(charge.transfer as string)).amount_reversed).toBe(
      4_500,
    );
    expect(
      (await stripe.applicationFees.retrieve(charge.application_fee as string)).amount_refunded,
    ).toBe(500);
    // The seller gave back its share of the transfer and got back half the fee.
    expect(await available(account.id)).toBe(9_000 - 4_500 + 500);
    await expect(
      stripe.refunds.create({ payment_intent: intent.id, amount: 6_000 }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'amount' });
  });

  it('transfers and reverses, and refuses a transfer beyond the available balance', async () => {
    const account = await seller();
    await stripe.paymentIntents.create({
      amount: 20_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
    });
    const transfer = await stripe.transfers.create({
      amount: 3_000,
      currency: 'usd',
      destination: account.id,
      transfer_group: 'g-1',
    });
    expect(await available(account.id)).toBe(3_000);
    const reversal = await stripe.transfers.createReversal(transfer.id, { amount: 1_000 });
    expect(reversal).toMatchObject({
      object: 'transfer_reversal',
      amount: 1_000,
      transfer: transfer.id,
    });
    expect(await available(account.id)).toBe(2_000);
    const error = (await stripe.transfers
      .create({ amount: 99_999_999, currency: 'usd', destination: account.id })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(error).toMatchObject({ statusCode: 400, code: 'balance_insufficient' });
  });

  it('pays out on the clock: paid to 000123456789, failed with no_account to 000111111116', async () => {
    for (const [number, outcome] of [
      ['000123456789', 'paid'],
      ['000111111116', 'failed'],
    ] as const) {
      const account = await seller({
        object: 'bank_account',
        country: 'US',
        currency: 'usd',
        routing_number: '110000000',
        account_number: number,
      } as unknown as string);
      await stripe.paymentIntents.create({
        amount: 5_000,
        currency: 'usd',
        payment_method: 'pm_card_bypassPending',
        confirm: true,
        transfer_data: { destination: account.id },
      });
      const payout = await stripe.payouts.create(
        { amount: 4_000, currency: 'usd' },
        { stripeAccount: account.id },
      );
      expect(payout).toMatchObject({
        status: 'pending',
        method: 'standard',
        destination: expect.stringMatching(/^ba_/),
      });
      expect(await available(account.id)).toBe(1_000);
      await clock.advance(DAY);
      expect(
        (await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: account.id })).status,
      ).toBe('in_transit');
      await clock.advance(DAY);
      const settled = await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: account.id });
      expect(settled.status).toBe(outcome);
      if (outcome === 'failed') {
        expect(settled.failure_code).toBe('no_account');
        expect(await available(account.id)).toBe(5_000);
        const bank = (await stripe.accounts.retrieveExternalAccount(
          account.id,
          payout.destination as string,
        )) as Stripe.BankAccount;
        expect(bank.status).toBe('errored');
      }
      const events = await stripe.events.list(
        { type: `payout.${outcome}` },
        { stripeAccount: account.id },
      );
      expect(events.data.map((e) => (e.data.object as Stripe.Payout).id)).toContain(payout.id);
    }
  });

  it('refuses payouts beyond the balance and instant payouts to an ineligible account', async () => {
    const account = await seller({
      object: 'bank_account',
      country: 'US',
      currency: 'usd',
      routing_number: '110000000',
      account_number: '000888888883',
    } as unknown as string);
    await expect(
      stripe.payouts.create({ amount: 100, currency: 'usd' }, { stripeAccount: account.id }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'balance_insufficient' });
    await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
      transfer_data: { destination: account.id },
    });
    await expect(
      stripe.payouts.create(
        { amount: 100, currency: 'usd', method: 'instant' },
        { stripeAccount: account.id },
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'instant_payouts_unsupported' });
  });

  it('takes zero- and three-decimal amounts by their rules', async () => {
    await expect(
      stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'jpy',
        payment_method: 'pm_card_bypassPending',
        confirm: true,
      }),
    ).resolves.toMatchObject({ amount: 1_000, currency: 'jpy' });
    await expect(
      stripe.paymentIntents.create({ amount: 1_505, currency: 'kwd' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'amount' });
    await expect(
      stripe.paymentIntents.create({ amount: 1_500, currency: 'kwd' }),
    ).resolves.toMatchObject({ status: 'requires_payment_method' });
    await expect(
      stripe.paymentIntents.create({ amount: 49, currency: 'usd' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'amount_too_small' });
  });

  it('moves a Connect account’s later verification to currently due with the trigger card', async () => {
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      business_type: 'individual',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      external_account: 'btok_us',
    });
    expect((await stripe.accounts.retrieve(account.id)).requirements!.eventually_due).toContain(
      'individual.verification.document',
    );
    await stripe.paymentIntents.create(
      {
        amount: 2_000,
        currency: 'usd',
        payment_method: 'pm_card_visa_triggerNextRequirements',
        confirm: true,
      },
      { stripeAccount: account.id },
    );
    await clock.advance(0);
    const after = await stripe.accounts.retrieve(account.id);
    expect(after.requirements!.currently_due).toContain('individual.verification.document');
    expect(after.requirements!.current_deadline).toBeGreaterThan(0);
  });
});
