import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { MirrorOp } from '../mirror-op.js';
import { coalesceOps } from './sync-coalescing.js';

const account = (id: string, email: string): MirrorOp => ({
  family: 'account',
  account: { id, email } as Stripe.Account,
  externals: null,
});
const at = (seconds: number) => new Date(seconds * 1000);

describe('coalesceOps', () => {
  it('keeps the newest state of each row, whatever the order of the batch', () => {
    const { dated, dropped } = coalesceOps([
      { at: at(3), ops: [account('acct_a', 'a3')] },
      { at: at(1), ops: [account('acct_a', 'a1')] },
      { at: at(2), ops: [account('acct_b', 'b2')] },
      { at: at(2), ops: [account('acct_a', 'a2')] },
    ]);
    expect(dropped).toBe(2);
    expect(dated.map((d) => [(d.op as { account: Stripe.Account }).account.email, d.at])).toEqual([
      ['b2', at(2)],
      ['a3', at(3)],
    ]);
    expect(dated.every((d) => !d.fresh)).toBe(true);
  });

  it('keeps every state of the newest second, for the mirror to settle the tie', () => {
    const { dated, dropped } = coalesceOps([
      { at: at(5), ops: [account('acct_a', 'x')] },
      { at: at(5), ops: [account('acct_a', 'y')] },
      { at: at(4), ops: [account('acct_a', 'old')] },
    ]);
    expect(dropped).toBe(1);
    expect(dated.map((d) => (d.op as { account: Stripe.Account }).account.email)).toEqual([
      'x',
      'y',
    ]);
  });

  it('never drops operations without a time of their own, nor rows of other families with the same id', () => {
    const { dated } = coalesceOps([
      { at: at(1), ops: [{ family: 'dispute', paymentIntentId: 'pi_1' }] },
      { at: at(2), ops: [{ family: 'dispute', paymentIntentId: 'pi_1' }] },
      {
        at: at(1),
        ops: [{ family: 'authorization', accountId: 'acct_a', authorized: true }],
      },
      {
        at: at(2),
        ops: [
          {
            family: 'capability',
            accountId: 'acct_a',
            capability: { id: 'transfers' } as Stripe.Capability,
          },
        ],
      },
      {
        at: at(1),
        ops: [
          {
            family: 'capability',
            accountId: 'acct_a',
            capability: { id: 'card_payments' } as Stripe.Capability,
          },
        ],
      },
    ]);
    expect(dated.map((d) => d.op.family)).toEqual([
      'dispute',
      'authorization',
      'capability',
      'dispute',
      'capability',
    ]);
  });
});
