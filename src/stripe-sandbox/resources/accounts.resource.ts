/**
 * Connected accounts (`/v1/accounts`) and the platform's own account (`/v1/account`). Their capabilities,
 * persons, external accounts and onboarding links have resources of their own.
 */
import type { FormObject } from '../form-codec.js';
import { invalidParam, invalidRequest, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { matchesRange, paginate, paginateKind } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { changingAccount } from './account-changes.js';
import {
  defaultSettings,
  findAccount,
  type AccountData,
  type AccountType,
} from './account-data.js';
import {
  ACCOUNT_PARAMS,
  applyAccountParams,
  NO_STANDARD_EXTERNAL_ACCOUNTS,
} from './account-params.js';
import { renderAccount, renderCapability } from './account-render.js';
import { readBankAccount } from './bank-accounts.js';
import { SANDBOX_COUNTRIES } from './countries.js';
import { requestOf } from './event-emission.js';
import { addExternalAccount } from './external-account-actions.js';
import { mergeHash, optionalHash, optionalString, PAGE_PARAMS } from './params.js';
import { registerRequirementTasks, scheduleLaterRequirements } from './requirements-schedule.js';

function controllerFor(type: AccountType): Record<string, unknown> {
  switch (type) {
    case 'custom':
      return {
        fees: { payer: 'application_custom' },
        is_controller: true,
        losses: { payments: 'application' },
        requirement_collection: 'application',
        stripe_dashboard: { type: 'none' },
        type: 'application',
      };
    case 'express':
      return {
        fees: { payer: 'application_express' },
        is_controller: true,
        losses: { payments: 'application' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'express' },
        type: 'application',
      };
    default:
      return {
        fees: { payer: 'account' },
        is_controller: true,
        losses: { payments: 'stripe' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'full' },
        type: 'application',
      };
  }
}

/** `controller` properties instead of `type`: the type they amount to. */
function typeFromController(controller: FormObject): AccountType {
  const dashboard = (controller.stripe_dashboard as FormObject | undefined)?.type;
  const collection = controller.requirement_collection;
  if (dashboard === 'express') return 'express';
  if (dashboard === 'none' || collection === 'application') return 'custom';
  return 'standard';
}

function readType(params: FormObject): AccountType {
  const typeParam = optionalString(params, 'type');
  const controller = optionalHash(params, 'controller');
  if (typeParam !== undefined && !['custom', 'express', 'standard'].includes(typeParam)) {
    throw invalidParam('type', 'Invalid type: must be one of custom, express, or standard');
  }
  return (
    (typeParam as AccountType | undefined) ??
    (controller ? typeFromController(controller) : 'standard')
  );
}

function readCountry(params: FormObject): string {
  const country = (optionalString(params, 'country') ?? 'US').toUpperCase();
  if (!SANDBOX_COUNTRIES[country])
    throw invalidParam(
      'country',
      `Country '${country}' is unknown or not supported by the sandbox.`,
      'country_unsupported',
    );
  return country;
}

/** A new account of `type` in `country`, before its parameters are applied. */
function newAccount(ctx: RequestContext, type: AccountType, country: string): AccountData {
  const now = ctx.sandbox.clock.now();
  const controller = optionalHash(ctx.params, 'controller');
  return {
    id: newId('acct'),
    object: 'account',
    type,
    controller: { ...controllerFor(type), ...(controller ? mergeHash(null, controller) : {}) },
    country,
    email: null,
    business_type: null,
    business_profile: {},
    individual: null,
    company: null,
    tos_acceptance: {},
    capabilities:
      type === 'standard'
        ? {
            card_payments: { requested: true, requested_at: now },
            transfers: { requested: true, requested_at: now },
          }
        : {},
    rejected: null,
    metadata: {},
    settings: defaultSettings(type),
    created: now,
    default_currency: SANDBOX_COUNTRIES[country].defaultCurrency,
    individual_person_id: null,
  };
}

function createAccount(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null)
    throw invalidRequest('Connected accounts are created by the platform, without Stripe-Account.');
  const type = readType(ctx.params);
  const country = readCountry(ctx.params);
  const data = applyAccountParams(ctx, newAccount(ctx, type, country), ctx.params, true);
  const bank = ctx.params.external_account;
  // Validate the bank account before anything is stored: a rejection leaves nothing behind.
  if (bank !== undefined) {
    if (type === 'standard') throw invalidParam('external_account', NO_STANDARD_EXTERNAL_ACCOUNTS);
    readBankAccount(bank, 'external_account', country);
  }
  const stored = ctx.sandbox.store.insert('account', null, data.id, data);
  if (type === 'custom') scheduleLaterRequirements(ctx.sandbox, data);
  if (bank !== undefined) addExternalAccount(ctx.sandbox, ctx, data, bank);
  for (const name of Object.keys(data.capabilities)) {
    ctx.sandbox.emit('capability.updated', renderCapability(ctx.sandbox.store, data, name), {
      scope: data.id,
      previousAttributes: { status: 'unrequested' },
      request: requestOf(ctx),
    });
  }
  return renderAccount(ctx.sandbox.store, stored);
}

function retrieveAccount(ctx: RequestContext): Record<string, unknown> {
  return renderAccount(ctx.sandbox.store, findAccount(ctx));
}

/** `GET /v1/account`: the account the key acts as (the platform, or `Stripe-Account`'s). */
function retrieveOwnAccount(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope) return renderAccount(ctx.sandbox.store, findAccount(ctx, ctx.scope));
  return {
    id: ctx.sandbox.platformAccountId,
    object: 'account',
    business_profile: { mcc: null, name: 'Sandbox platform', url: null, support_email: null },
    business_type: 'company',
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    country: 'US',
    created: 1_700_000_000,
    default_currency: 'usd',
    details_submitted: true,
    email: 'platform@sandbox.invalid',
    metadata: {},
    payouts_enabled: true,
    settings: {
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_payments: {
        decline_on: { avs_failure: false, cvc_failure: false },
        statement_descriptor_prefix: null,
      },
      dashboard: { display_name: 'Sandbox platform', timezone: 'Etc/UTC' },
      payments: { statement_descriptor: 'SANDBOX' },
    },
    type: 'standard',
  };
}

function updateAccount(ctx: RequestContext): Record<string, unknown> {
  const stored = findAccount(ctx);
  const bank = ctx.params.external_account;
  return changingAccount(ctx.sandbox, ctx, stored, () => {
    const next = applyAccountParams(ctx, stored.data, ctx.params, false);
    if (bank !== undefined) readBankAccount(bank, 'external_account', next.country);
    stored.data = next;
    ctx.sandbox.store.save(stored);
    if (bank !== undefined)
      addExternalAccount(ctx.sandbox, ctx, next, bank, { defaultForCurrency: true });
    return renderAccount(ctx.sandbox.store, stored);
  });
}

function deleteAccount(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null) throw resourceMissing('account', ctx.pathParams.id);
  const stored = findAccount(ctx);
  stored.data = { ...stored.data, deleted: true };
  ctx.sandbox.store.save(stored);
  return { id: stored.id, object: 'account', deleted: true };
}

function rejectAccount(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null) throw resourceMissing('account', ctx.pathParams.id);
  const stored = findAccount(ctx);
  const reason = optionalString(ctx.params, 'reason');
  if (!reason) throw invalidParam('reason', 'Missing required param: reason.', 'parameter_missing');
  if (!['fraud', 'terms_of_service', 'other'].includes(reason)) {
    throw invalidParam(
      'reason',
      'Invalid reason: must be one of fraud, terms_of_service, or other',
    );
  }
  if (stored.data.type === 'standard')
    throw invalidRequest('Standard accounts cannot be rejected by the platform.', 'account');
  return changingAccount(ctx.sandbox, ctx, stored, () => {
    stored.data = { ...stored.data, rejected: reason };
    ctx.sandbox.store.save(stored);
    return renderAccount(ctx.sandbox.store, stored);
  });
}

function listAccounts(ctx: RequestContext): unknown {
  const store = ctx.sandbox.store;
  const render = (stored: StoredObject) => renderAccount(store, stored);
  if (ctx.scope !== null) return paginate(ctx.params, [], render, '/v1/accounts', 'account');
  return paginateKind<AccountData, unknown>(
    ctx.params,
    store,
    'account',
    (a) => !a.data.deleted && matchesRange(a.data.created, ctx.params.created, 'created'),
    render,
    '/v1/accounts',
    'account',
  );
}

export function registerAccounts(sandbox: StripeSandbox): void {
  sandbox.renderer('account', ['acct'], (stored) => renderAccount(sandbox.store, stored));
  registerRequirementTasks(sandbox);
  sandbox.route('POST', '/v1/accounts', createAccount, [
    ...ACCOUNT_PARAMS,
    'type',
    'country',
    'controller',
  ]);
  sandbox.route('GET', '/v1/accounts/:id', retrieveAccount);
  sandbox.route('GET', '/v1/account', retrieveOwnAccount);
  sandbox.route('POST', '/v1/accounts/:id', updateAccount, ACCOUNT_PARAMS);
  sandbox.route('DELETE', '/v1/accounts/:id', deleteAccount);
  sandbox.route('POST', '/v1/accounts/:id/reject', rejectAccount, ['reason']);
  sandbox.route('GET', '/v1/accounts', listAccounts, [...PAGE_PARAMS, 'created']);
}
