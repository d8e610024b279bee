/**
 * Balances: every movement of money is a balance transaction on an account (null: the platform), pending
 * until its `available_on` on the sandbox clock. Stripe's processing fees are not modelled: net is amount.
 */
import { newId } from '../sandbox.ids.js';
import type { ScheduledTask } from '../sandbox.store.js';
import type { StripeSandbox } from '../stripe-sandbox.js';
import type { MoneyData } from './money-data.js';

/** How long a card payment's funds stay pending. */
export const PENDING_SECONDS = 2 * 86_400;

/** Moves money on an account's balance (null: the platform's), available at `availableOn`; answers the txn id. */
export function ledger(
  sandbox: StripeSandbox,
  scope: string | null,
  amount: number,
  currency: string,
  type: string,
  source: string | null,
  availableOn: number,
): string {
  const now = sandbox.clock.now();
  const id = newId('txn');
  sandbox.store.insert('balance_transaction', scope, id, {
    id,
    object: 'balance_transaction',
    amount,
    available_on: availableOn,
    created: now,
    currency,
    description: null,
    fee: 0,
    fee_details: [],
    net: amount,
    reporting_category: type,
    source,
    status: availableOn <= now ? 'available' : 'pending',
    type,
  });
  if (availableOn > now && amount > 0)
    sandbox.scheduleTask('balance_available', availableOn, { scope });
  return id;
}

export function balanceOf(sandbox: StripeSandbox, scope: string | null): Record<string, unknown> {
  const now = sandbox.clock.now();
  const available = new Map<string, number>();
  const pending = new Map<string, number>();
  for (const txn of sandbox.store.list<MoneyData>(
    'balance_transaction',
    (t) => t.scope === scope,
  )) {
    const target = (txn.data.available_on as number) <= now ? available : pending;
    const currency = txn.data.currency as string;
    target.set(currency, (target.get(currency) ?? 0) + (txn.data.amount as number));
  }
  const rows = (map: Map<string, number>) =>
    [...map].map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } }));
  return { object: 'balance', available: rows(available), pending: rows(pending), livemode: false };
}

/** What the account may spend now in `currency`. */
export function availableIn(
  sandbox: StripeSandbox,
  scope: string | null,
  currency: string,
): number {
  const available = balanceOf(sandbox, scope).available as { amount: number; currency: string }[];
  return available.find((b) => b.currency === currency)?.amount ?? 0;
}

/** The `balance_available` task: pending funds that fell due become available. */
export function releasePending(sandbox: StripeSandbox, task: ScheduledTask): void {
  const scope = (task.payload.scope as string | null) ?? null;
  const now = sandbox.clock.now();
  const due = sandbox.store.list<MoneyData>(
    'balance_transaction',
    (t) =>
      t.scope === scope && t.data.status === 'pending' && (t.data.available_on as number) <= now,
  );
  for (const txn of due) {
    txn.data = { ...txn.data, status: 'available' };
    sandbox.store.save(txn);
  }
  sandbox.emit('balance.available', balanceOf(sandbox, scope), { scope });
}
