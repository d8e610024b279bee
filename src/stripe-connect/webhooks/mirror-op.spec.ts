import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { compareLockOrder, rowIdOf, type MirrorOp } from './mirror-op.js';

const intent = (id: string): MirrorOp => ({
  family: 'payment_intent',
  accountId: null,
  intent: { id } as Stripe.PaymentIntent,
});
const charge = (id: string, paymentIntent: string): MirrorOp => ({
  family: 'charge',
  accountId: null,
  charge: { id, payment_intent: paymentIntent } as Stripe.Charge,
});
const dispute = (paymentIntentId: string): MirrorOp => ({ family: 'dispute', paymentIntentId });
const account = (id: string): MirrorOp => ({
  family: 'account',
  account: { id } as Stripe.Account,
  externals: null,
});

describe('compareLockOrder', () => {
  it('takes the rows of stripe_charges in one id order, whichever family writes them', () => {
    // Two transactions: one writes pi_2's PaymentIntent and pi_1's Charge, the other the reverse.
    const first = [intent('pi_2'), charge('ch_a', 'pi_1')].sort(compareLockOrder);
    const second = [charge('ch_b', 'pi_2'), intent('pi_1')].sort(compareLockOrder);
    expect(first.map(rowIdOf)).toEqual(['pi_1', 'pi_2']);
    expect(second.map(rowIdOf)).toEqual(['pi_1', 'pi_2']);
    expect(
      [dispute('pi_3'), intent('pi_2'), charge('ch_c', 'pi_1')].sort(compareLockOrder).map(rowIdOf),
    ).toEqual(['pi_1', 'pi_2', 'pi_3']);
  });

  it('still writes parents first: an account before any PaymentIntent, whatever the ids', () => {
    const sorted = [intent('pi_0'), account('acct_z')].sort(compareLockOrder);
    expect(sorted.map((op) => op.family)).toEqual(['account', 'payment_intent']);
  });
});
