/**
 * Stripe Connect OAuth for standard accounts: the authorize page (`/oauth/authorize`), where a user
 * "connects" a new account filled with test data, and `/oauth/token` and `/oauth/deauthorize`.
 */
import { invalidParam, SandboxOAuthError } from '../sandbox.errors.js';
import { newId, randomToken } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { defaultSettings, type AccountData } from './account-data.js';
import { SANDBOX_COUNTRIES } from './countries.js';
import { requestOf } from './event-emission.js';
import { completeOnboarding } from './onboarding.js';
import { optionalString } from './params.js';

const CODE_LIFETIME_SECONDS = 300;

interface CodeData {
  account: string;
  expires_at: number;
  used: boolean;
}

/** The application the `account.application.*` events name: the sandbox's platform. */
const APPLICATION = {
  id: 'ca_sandbox_platform',
  object: 'application',
  name: 'Sandbox platform',
};

function checkAuthorizeQuery(query: URLSearchParams): string {
  const redirect = query.get('redirect_uri');
  if (!redirect)
    throw invalidParam(
      'redirect_uri',
      'Missing required param: redirect_uri.',
      'parameter_missing',
    );
  if (query.get('response_type') !== 'code')
    throw invalidParam('response_type', 'response_type must be code');
  if (!query.get('client_id')?.startsWith('ca_'))
    throw invalidParam('client_id', 'Invalid client_id');
  return redirect;
}

/** The standard account a user connects through OAuth, before onboarding fills it. */
function insertConnectedAccount(
  sandbox: StripeSandbox,
  email: string | null,
): StoredObject<AccountData> {
  const id = newId('acct');
  const now = sandbox.clock.now();
  return sandbox.store.insert<AccountData>('account', null, id, {
    id,
    object: 'account',
    type: 'standard',
    controller: { is_controller: false, type: 'account' },
    country: 'US',
    email,
    business_type: null,
    business_profile: {},
    individual: null,
    company: null,
    tos_acceptance: { date: now, ip: '127.0.0.1' },
    capabilities: {
      card_payments: { requested: true, requested_at: now },
      transfers: { requested: true, requested_at: now },
    },
    rejected: null,
    metadata: {},
    settings: defaultSettings('standard'),
    created: now,
    default_currency: SANDBOX_COUNTRIES.US.defaultCurrency,
    individual_person_id: null,
  });
}

function authorize(sandbox: StripeSandbox, query: URLSearchParams): { redirect: string } {
  const redirect = checkAuthorizeQuery(query);
  const stored = insertConnectedAccount(sandbox, query.get('stripe_user[email]'));
  completeOnboarding(sandbox, stored);
  const code = `ac_${randomToken(24)}`;
  sandbox.store.insert<CodeData>('oauth_code', null, code, {
    account: stored.id,
    expires_at: stored.data.created + CODE_LIFETIME_SECONDS,
    used: false,
  });
  const target = new URL(redirect);
  target.searchParams.set('code', code);
  target.searchParams.set('scope', query.get('scope') ?? 'read_write');
  const state = query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  return { redirect: target.toString() };
}

function exchangeCode(ctx: RequestContext): Record<string, unknown> {
  const grant = optionalString(ctx.params, 'grant_type');
  if (grant !== 'authorization_code')
    throw new SandboxOAuthError(
      'unsupported_grant_type',
      `Unsupported grant type: ${grant ?? 'none'}`,
    );
  const code = optionalString(ctx.params, 'code') ?? '';
  const stored = ctx.sandbox.store.get<CodeData>(code);
  if (
    !stored ||
    stored.kind !== 'oauth_code' ||
    stored.data.used ||
    ctx.sandbox.clock.now() > stored.data.expires_at
  ) {
    throw new SandboxOAuthError('invalid_grant', `Authorization code does not exist: ${code}`);
  }
  stored.data = { ...stored.data, used: true };
  ctx.sandbox.store.save(stored);
  ctx.sandbox.emit('account.application.authorized', APPLICATION, {
    scope: stored.data.account,
    request: requestOf(ctx),
  });
  return {
    access_token: `sk_test_oauth_${randomToken(24)}`,
    livemode: false,
    refresh_token: `rt_${randomToken(24)}`,
    scope: 'read_write',
    stripe_publishable_key: `pk_test_${randomToken(24)}`,
    stripe_user_id: stored.data.account,
    token_type: 'bearer',
  };
}

function deauthorize(ctx: RequestContext): Record<string, unknown> {
  const accountId = optionalString(ctx.params, 'stripe_user_id') ?? '';
  const stored = ctx.sandbox.store.get<AccountData>(accountId);
  if (!optionalString(ctx.params, 'client_id')?.startsWith('ca_'))
    throw new SandboxOAuthError('invalid_client', 'No such application');
  if (!stored || stored.kind !== 'account' || stored.data.deleted || stored.data.deauthorized) {
    throw new SandboxOAuthError(
      'invalid_client',
      `This application is not connected to stripe account ${accountId}, or that account does not exist.`,
    );
  }
  stored.data = { ...stored.data, deauthorized: true };
  ctx.sandbox.store.save(stored);
  ctx.sandbox.emit('account.application.deauthorized', APPLICATION, {
    scope: accountId,
    request: requestOf(ctx),
  });
  return { stripe_user_id: accountId };
}

export function registerOAuth(sandbox: StripeSandbox): void {
  sandbox.page('GET', /^\/oauth\/authorize$/, (_match, query) => authorize(sandbox, query));
  sandbox.route('POST', '/oauth/token', exchangeCode, [
    'grant_type',
    'code',
    'refresh_token',
    'assert_capabilities',
  ]);
  sandbox.route('POST', '/oauth/deauthorize', deauthorize, ['client_id', 'stripe_user_id']);
}
