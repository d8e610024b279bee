/**
 * Changes to an account and the events Stripe sends for them: `account.updated` with `previous_attributes`
 * when the account changed, and `capability.updated` for each capability whose state changed.
 */
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import type { AccountData } from './account-data.js';
import { renderAccount, renderCapability } from './account-render.js';
import { requestOf } from './event-emission.js';
import { previousAttributes } from './params.js';

type Rendered = Record<string, unknown>;

function capabilitiesOf(sandbox: StripeSandbox, data: AccountData): Record<string, Rendered> {
  return Object.fromEntries(
    Object.keys(data.capabilities).map((n) => [n, renderCapability(sandbox.store, data, n)]),
  );
}

function emitAccountUpdated(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  accountId: string,
  before: Rendered,
): void {
  const after = renderAccount(sandbox.store, sandbox.store.get(accountId)!);
  const { external_accounts: _b, ...comparableBefore } = before;
  const { external_accounts: _a, ...comparableAfter } = after;
  const previous = previousAttributes(comparableBefore, comparableAfter);
  if (previous)
    sandbox.emit('account.updated', after, {
      scope: accountId,
      previousAttributes: previous,
      request: requestOf(ctx),
    });
}

function emitCapabilitiesUpdated(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  accountId: string,
  before: Record<string, Rendered>,
): void {
  const current = sandbox.store.get<AccountData>(accountId)!.data;
  for (const [name, capability] of Object.entries(capabilitiesOf(sandbox, current))) {
    const old = before[name];
    if (old && old.status === capability.status && old.requested === capability.requested) continue;
    sandbox.emit('capability.updated', capability, {
      scope: accountId,
      previousAttributes: old
        ? previousAttributes(
            { status: old.status, requested: old.requested },
            { status: capability.status, requested: capability.requested },
          )
        : { status: 'unrequested' },
      request: requestOf(ctx),
    });
  }
}

/** Runs a change to an account (`ctx` null for the clock's work) and emits the events it caused. */
export function changingAccount<T>(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  stored: StoredObject<AccountData>,
  change: () => T,
): T {
  const before = renderAccount(sandbox.store, stored);
  const capabilitiesBefore = capabilitiesOf(sandbox, stored.data);
  const result = change();
  emitAccountUpdated(sandbox, ctx, stored.id, before);
  emitCapabilitiesUpdated(sandbox, ctx, stored.id, capabilitiesBefore);
  return result;
}
