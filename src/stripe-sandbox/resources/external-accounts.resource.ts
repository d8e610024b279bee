/** A connected account's bank accounts (`/v1/accounts/:id/external_accounts`), one default per currency. */
import { invalidParam, resourceMissing } from '../sandbox.errors.js';
import { paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { changingAccount } from './account-changes.js';
import {
  externalAccountsOf,
  findAccount,
  type AccountData,
  type ExternalAccountData,
} from './account-data.js';
import { NO_STANDARD_EXTERNAL_ACCOUNTS } from './account-params.js';
import { renderExternalAccount } from './account-render.js';
import { emitFrom, emitIfChanged } from './event-emission.js';
import { addExternalAccount, demoteDefaults } from './external-account-actions.js';
import { applyMetadata, optionalBoolean, optionalString, PAGE_PARAMS } from './params.js';

type HolderType = ExternalAccountData['account_holder_type'];

function findExternal(
  ctx: RequestContext,
  account: AccountData,
): StoredObject<ExternalAccountData> {
  const stored = ctx.sandbox.store.get<ExternalAccountData>(ctx.pathParams.external);
  if (!stored || stored.kind !== 'external_account' || stored.scope !== account.id) {
    throw resourceMissing('external account', ctx.pathParams.external);
  }
  return stored;
}

function createExternalAccount(ctx: RequestContext): Record<string, unknown> {
  const stored = findAccount(ctx);
  if (stored.data.type === 'standard')
    throw invalidParam('external_account', NO_STANDARD_EXTERNAL_ACCOUNTS);
  const value = ctx.params.external_account;
  if (value === undefined || value === '')
    throw invalidParam(
      'external_account',
      'Missing required param: external_account.',
      'parameter_missing',
    );
  return changingAccount(ctx.sandbox, ctx, stored, () =>
    renderExternalAccount(
      addExternalAccount(ctx.sandbox, ctx, stored.data, value, {
        defaultForCurrency: optionalBoolean(ctx.params, 'default_for_currency'),
        metadata: applyMetadata({}, ctx.params),
      }),
    ),
  );
}

function retrieveExternalAccount(ctx: RequestContext): Record<string, unknown> {
  return renderExternalAccount(findExternal(ctx, findAccount(ctx).data));
}

/** The holder fields an update sets (`''` unsets one). */
function readHolder(ctx: RequestContext): Partial<ExternalAccountData> {
  const holderName = optionalString(ctx.params, 'account_holder_name');
  const holderType = optionalString(ctx.params, 'account_holder_type');
  if (holderType !== undefined && !['individual', 'company', ''].includes(holderType)) {
    throw invalidParam(
      'account_holder_type',
      'Invalid account_holder_type: must be individual or company',
    );
  }
  return {
    ...(holderName !== undefined ? { account_holder_name: holderName || null } : {}),
    ...(holderType !== undefined
      ? { account_holder_type: (holderType || null) as HolderType }
      : {}),
  };
}

function updateExternalAccount(ctx: RequestContext): Record<string, unknown> {
  const account = findAccount(ctx);
  const stored = findExternal(ctx, account.data);
  const makeDefault = optionalBoolean(ctx.params, 'default_for_currency');
  if (makeDefault === false && stored.data.default_for_currency) {
    throw invalidParam(
      'default_for_currency',
      'You cannot unset the default external account for a currency; make another one the default instead.',
    );
  }
  // Read before anything changes: an invalid holder leaves the other bank accounts as they were.
  const holder = readHolder(ctx);
  return changingAccount(ctx.sandbox, ctx, account, () => {
    const before = renderExternalAccount(stored);
    if (makeDefault) demoteDefaults(ctx.sandbox, ctx, account.id, stored.data.currency, stored.id);
    stored.data = {
      ...stored.data,
      ...(makeDefault ? { default_for_currency: true } : {}),
      ...holder,
      metadata: applyMetadata(stored.data.metadata, ctx.params),
    };
    ctx.sandbox.store.save(stored);
    const after = renderExternalAccount(stored);
    return emitIfChanged(ctx, 'account.external_account.updated', account.id, before, after);
  });
}

function deleteExternalAccount(ctx: RequestContext): Record<string, unknown> {
  const account = findAccount(ctx);
  const stored = findExternal(ctx, account.data);
  if (stored.data.default_for_currency && stored.data.currency === account.data.default_currency) {
    throw invalidParam(
      'external_account',
      'You cannot delete the default external account for your default currency. Please make another external account the default using the `default_for_currency` param, and then delete this one.',
    );
  }
  return changingAccount(ctx.sandbox, ctx, account, () => {
    const last = renderExternalAccount(stored);
    ctx.sandbox.store.remove(stored.id);
    emitFrom(ctx, 'account.external_account.deleted', last, account.id);
    return { id: stored.id, object: 'bank_account', deleted: true };
  });
}

function listExternalAccounts(ctx: RequestContext): unknown {
  const account = findAccount(ctx).data;
  const object = optionalString(ctx.params, 'object');
  if (object !== undefined && object !== 'bank_account' && object !== 'card') {
    throw invalidParam('object', 'Invalid object: must be bank_account or card');
  }
  const items = externalAccountsOf(ctx.sandbox.store, account.id).filter(
    (e) => object === undefined || e.data.object === object,
  );
  const url = `/v1/accounts/${account.id}/external_accounts`;
  return paginate(ctx.params, items, renderExternalAccount, url, 'external account');
}

export function registerExternalAccounts(sandbox: StripeSandbox): void {
  sandbox.renderer('external_account', ['ba'], renderExternalAccount);
  const path = '/v1/accounts/:id/external_accounts';
  sandbox.route('POST', path, createExternalAccount, [
    'external_account',
    'default_for_currency',
    'metadata',
  ]);
  sandbox.route('GET', `${path}/:external`, retrieveExternalAccount);
  sandbox.route('POST', `${path}/:external`, updateExternalAccount, [
    'default_for_currency',
    'metadata',
    'account_holder_name',
    'account_holder_type',
  ]);
  sandbox.route('DELETE', `${path}/:external`, deleteExternalAccount);
  sandbox.route('GET', path, listExternalAccounts, [...PAGE_PARAMS, 'object']);
}
