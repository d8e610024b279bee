/** Stripe objects of the transfers domain → the columns of their local mirror rows. */
import type Stripe from 'stripe';
import type { Payout } from './payout.entity.js';
import type { TransferReversal } from './transfer-reversal.entity.js';
import type { Transfer } from './transfer.entity.js';

type Raw = Record<string, unknown>;

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

export function transferValues(transfer: Stripe.Transfer, snapshotAt: Date): Partial<Transfer> {
  return {
    id: transfer.id,
    livemode: transfer.livemode,
    raw: transfer as unknown as Raw,
    snapshotAt,
    destinationAccountId: idOf(transfer.destination) ?? undefined,
    amount: transfer.amount,
    amountReversed: transfer.amount_reversed,
    currency: transfer.currency,
    reversed: transfer.reversed,
    transferGroup: transfer.transfer_group ?? null,
    sourceTransaction: idOf(transfer.source_transaction),
    destinationPaymentId: idOf(transfer.destination_payment),
  };
}

export function reversalValues(
  reversal: Stripe.TransferReversal,
  snapshotAt: Date,
): Partial<TransferReversal> {
  return {
    id: reversal.id,
    livemode: false,
    raw: reversal as unknown as Raw,
    snapshotAt,
    transferId: idOf(reversal.transfer)!,
    amount: reversal.amount,
    currency: reversal.currency,
  };
}

export function payoutValues(
  payout: Stripe.Payout,
  accountId: string | null,
  snapshotAt: Date,
): Partial<Payout> {
  return {
    id: payout.id,
    livemode: payout.livemode,
    raw: payout as unknown as Raw,
    snapshotAt,
    accountId,
    amount: payout.amount,
    currency: payout.currency,
    status: payout.status,
    failureCode: payout.failure_code ?? null,
    failureMessage: payout.failure_message ?? null,
    arrivalDate:
      typeof payout.arrival_date === 'number' ? new Date(payout.arrival_date * 1000) : null,
    destinationId: idOf(payout.destination),
    method: payout.method,
    automatic: payout.automatic,
  };
}
