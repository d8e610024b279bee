/** Adding bank accounts to a connected account, and the one default per currency Stripe keeps. */
import type { FormValue } from '../form-codec.js';
import { invalidParam } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { externalAccountsOf, type AccountData, type ExternalAccountData } from './account-data.js';
import { renderExternalAccount } from './account-render.js';
import { readBankAccount } from './bank-accounts.js';
import { SANDBOX_COUNTRIES } from './countries.js';
import { requestOf } from './event-emission.js';

/** Unsets the default bank account for `currency` (but `keep`), with the events Stripe sends. */
export function demoteDefaults(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  accountId: string,
  currency: string,
  keep?: string,
): void {
  const defaults = externalAccountsOf(sandbox.store, accountId).filter(
    (e) => e.id !== keep && e.data.currency === currency && e.data.default_for_currency,
  );
  for (const other of defaults) {
    other.data = { ...other.data, default_for_currency: false };
    sandbox.store.save(other);
    sandbox.emit('account.external_account.updated', renderExternalAccount(other), {
      scope: accountId,
      previousAttributes: { default_for_currency: true },
      request: requestOf(ctx),
    });
  }
}

/** Reads and stores a bank account (`ctx` null for the sandbox's own onboarding), the first per currency default. */
export function addExternalAccount(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  account: AccountData,
  value: FormValue,
  options: { defaultForCurrency?: boolean; metadata?: Record<string, string> } = {},
): StoredObject<ExternalAccountData> {
  const details = readBankAccount(value, 'external_account', account.country);
  if (details.country !== account.country && SANDBOX_COUNTRIES[account.country]?.bank !== 'iban') {
    throw invalidParam(
      'external_account',
      `The bank account's country (${details.country}) must be the account's country (${account.country}).`,
    );
  }
  const sameCurrency = externalAccountsOf(sandbox.store, account.id).filter(
    (e) => e.data.currency === details.currency,
  );
  const makeDefault = options.defaultForCurrency === true || sameCurrency.length === 0;
  if (makeDefault) demoteDefaults(sandbox, ctx, account.id, details.currency);
  const id = newId('ba');
  const stored = sandbox.store.insert<ExternalAccountData>('external_account', account.id, id, {
    id,
    object: 'bank_account',
    account: account.id,
    ...details,
    default_for_currency: makeDefault,
    metadata: options.metadata ?? {},
    status: 'new',
  });
  sandbox.emit('account.external_account.created', renderExternalAccount(stored), {
    scope: account.id,
    request: requestOf(ctx),
  });
  return stored;
}
