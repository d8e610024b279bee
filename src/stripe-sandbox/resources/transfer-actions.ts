/** Moving money from the platform to a connected account, and back (reversals), with their events. */
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { ledger } from './balances.js';
import { requestOf } from './event-emission.js';
import type { MoneyData } from './money-data.js';
import { renderTransfer } from './money-render.js';

export interface NewTransfer {
  amount: number;
  currency: string;
  destination: string;
  /** When the moved funds become available on both sides. */
  availableOn: number;
  description: string | null;
  metadata: Record<string, string>;
  sourceTransaction: string | null;
  transferGroup: string | null;
}

/** Makes a transfer: the platform's balance down, the destination's up, and `transfer.created`. */
export function createTransfer(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  transfer: NewTransfer,
): StoredObject<MoneyData> {
  const { amount, currency, destination, availableOn } = transfer;
  const id = newId('tr');
  const payment = newId('py');
  const txn = ledger(sandbox, null, -amount, currency, 'transfer', id, availableOn);
  const stored = sandbox.store.insert<MoneyData>('transfer', null, id, {
    id,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    balance_transaction: txn,
    created: sandbox.clock.now(),
    currency,
    description: transfer.description,
    destination,
    destination_payment: payment,
    livemode: false,
    metadata: transfer.metadata,
    reversed: false,
    source_transaction: transfer.sourceTransaction,
    source_type: 'card',
    transfer_group: transfer.transferGroup,
  });
  ledger(sandbox, destination, amount, currency, 'payment', payment, availableOn);
  sandbox.emit('transfer.created', renderTransfer(sandbox.store, stored), {
    scope: null,
    request: requestOf(ctx),
  });
  return stored;
}

/** Reverses `amount` of a transfer back to the platform; answers the reversal's id. */
export function reverseTransfer(
  sandbox: StripeSandbox,
  ctx: RequestContext,
  transfer: StoredObject<MoneyData>,
  amount: number,
): string {
  const now = sandbox.clock.now();
  const currency = transfer.data.currency as string;
  const id = newId('trr');
  const destination = transfer.data.destination as string;
  ledger(sandbox, destination, -amount, currency, 'transfer_refund', id, now);
  ledger(sandbox, null, amount, currency, 'transfer_refund', id, now);
  sandbox.store.insert('transfer_reversal', null, id, {
    id,
    object: 'transfer_reversal',
    amount,
    balance_transaction: null,
    created: now,
    currency,
    destination_payment_refund: null,
    metadata: {},
    source_refund: null,
    transfer: transfer.id,
  });
  const reversed = (transfer.data.amount_reversed as number) + amount;
  transfer.data = {
    ...transfer.data,
    amount_reversed: reversed,
    reversed: reversed === transfer.data.amount,
  };
  sandbox.store.save(transfer);
  sandbox.emit('transfer.reversed', renderTransfer(sandbox.store, transfer), {
    scope: null,
    request: requestOf(ctx),
  });
  return id;
}
