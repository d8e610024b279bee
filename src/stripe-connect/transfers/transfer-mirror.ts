/** Stripe objects of the transfers domain → the columns of their local mirror rows, and their guarded writes. */
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { upsertGuarded, type GuardOptions, type WriteOutcome } from '../common/mirror-writer.js';
import { idOf } from '../stripe/stripe-id.js';
import { Payout } from './payout.entity.js';
import { TransferReversal } from './transfer-reversal.entity.js';
import { Transfer } from './transfer.entity.js';

type Raw = Record<string, unknown>;

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
  livemode = false,
): Partial<TransferReversal> {
  return {
    id: reversal.id,
    livemode,
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

/**
 * A transfer and the reversals its nested list holds (each guarded by its own time; a list with `has_more`
 * only adds: reversals are never removed).
 */
export async function writeTransfer(
  manager: EntityManager,
  transfer: Stripe.Transfer,
  at: Date,
  options: GuardOptions = {},
): Promise<WriteOutcome> {
  const outcome = await upsertGuarded(
    manager,
    Transfer,
    transferValues(transfer, at) as Partial<Transfer> & { id: string },
    at,
    options,
  );
  const reversals = [...(transfer.reversals?.data ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const reversal of reversals) {
    await upsertGuarded(
      manager,
      TransferReversal,
      reversalValues(reversal, at, transfer.livemode) as Partial<TransferReversal> & { id: string },
      at,
      options,
    );
  }
  return outcome;
}

export function writePayout(
  manager: EntityManager,
  payout: Stripe.Payout,
  accountId: string | null,
  at: Date,
  options: GuardOptions = {},
): Promise<WriteOutcome> {
  return upsertGuarded(
    manager,
    Payout,
    payoutValues(payout, accountId, at) as Partial<Payout> & { id: string },
    at,
    options,
  );
}
