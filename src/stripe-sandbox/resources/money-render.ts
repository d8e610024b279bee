/** Charges and transfers as Stripe renders them, with the refunds and reversals they hold. */
import type { SandboxStore, StoredObject } from '../sandbox.store.js';
import { embeddedList, type MoneyData } from './money-data.js';

export function renderCharge(store: SandboxStore, charge: StoredObject): Record<string, unknown> {
  const refunds = store.list<MoneyData>('refund', (r) => r.data.charge === charge.id);
  return {
    ...(charge.data as MoneyData),
    refunds: embeddedList(
      refunds.map((r) => ({ ...r.data })),
      `/v1/charges/${charge.id}/refunds`,
    ),
  };
}

export function renderTransfer(store: SandboxStore, stored: StoredObject): Record<string, unknown> {
  const reversals = store.list<MoneyData>(
    'transfer_reversal',
    (r) => r.data.transfer === stored.id,
  );
  return {
    ...(stored.data as MoneyData),
    reversals: embeddedList(
      reversals.map((r) => ({ ...r.data })),
      `/v1/transfers/${stored.id}/reversals`,
    ),
  };
}
