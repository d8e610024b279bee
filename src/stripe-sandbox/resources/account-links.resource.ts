/**
 * Account Links (`POST /v1/account_links`) and the hosted onboarding page they open: it completes onboarding
 * with test data and returns, or refreshes when the link expired or was used already (single use, as Stripe's).
 */
import type { FormObject } from '../form-codec.js';
import { invalidParam, invalidRequest, resourceMissing } from '../sandbox.errors.js';
import { randomToken } from '../sandbox.ids.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { findAccount, type AccountData } from './account-data.js';
import { completeOnboarding } from './onboarding.js';
import { optionalString } from './params.js';

const LINK_LIFETIME_SECONDS = 300;

interface LinkData {
  account: string;
  type: string;
  refresh_url: string;
  return_url: string;
  expires_at: number;
  used: boolean;
}

function readLinkUrl(params: FormObject, name: string): string {
  const value = optionalString(params, name);
  if (!value) throw invalidParam(name, `Missing required param: ${name}.`, 'parameter_missing');
  try {
    if (!['http:', 'https:'].includes(new URL(value).protocol)) throw new Error('protocol');
  } catch {
    throw invalidParam(name, `Invalid URL: ${name} must be an http or https URL`, 'url_invalid');
  }
  return value;
}

function readLinkType(params: FormObject, account: AccountData): string {
  const type = optionalString(params, 'type');
  if (type !== 'account_onboarding' && type !== 'account_update') {
    throw invalidParam('type', 'Invalid type: must be one of account_onboarding or account_update');
  }
  if (type === 'account_update' && account.type !== 'custom') {
    throw invalidParam(
      'type',
      'account_update links are only for accounts where the platform collects requirements',
    );
  }
  return type;
}

function createAccountLink(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null) throw invalidRequest('Account Links are created by the platform.');
  const accountId = optionalString(ctx.params, 'account');
  if (!accountId)
    throw invalidParam('account', 'Missing required param: account.', 'parameter_missing');
  const account = findAccount(ctx, accountId);
  const type = readLinkType(ctx.params, account.data);
  const refreshUrl = readLinkUrl(ctx.params, 'refresh_url');
  const returnUrl = readLinkUrl(ctx.params, 'return_url');
  const created = ctx.sandbox.clock.now();
  const token = randomToken(32);
  ctx.sandbox.store.insert<LinkData>('account_link', null, `link_${token}`, {
    account: account.id,
    type,
    refresh_url: refreshUrl,
    return_url: returnUrl,
    expires_at: created + LINK_LIFETIME_SECONDS,
    used: false,
  });
  return {
    object: 'account_link',
    created,
    expires_at: created + LINK_LIFETIME_SECONDS,
    url: `${ctx.sandbox.url}/_sandbox/onboarding/${token}`,
  };
}

/** The page an Account Link opens. */
function openOnboardingPage(sandbox: StripeSandbox, token: string): { redirect: string } {
  const link = sandbox.store.get<LinkData>(`link_${token}`);
  if (!link || link.kind !== 'account_link') throw resourceMissing('account link', token);
  if (link.data.used || sandbox.clock.now() > link.data.expires_at)
    return { redirect: link.data.refresh_url };
  link.data = { ...link.data, used: true };
  sandbox.store.save(link);
  const account = sandbox.store.get<AccountData>(link.data.account);
  if (account && !account.data.deleted && account.data.type !== 'custom')
    completeOnboarding(sandbox, account);
  return { redirect: link.data.return_url };
}

export function registerAccountLinks(sandbox: StripeSandbox): void {
  sandbox.route('POST', '/v1/account_links', createAccountLink, [
    'account',
    'type',
    'refresh_url',
    'return_url',
    'collect',
    'collection_options',
  ]);
  sandbox.page('GET', /^\/_sandbox\/onboarding\/([A-Za-z0-9]+)$/, (match) =>
    openOnboardingPage(sandbox, match[1]),
  );
}
