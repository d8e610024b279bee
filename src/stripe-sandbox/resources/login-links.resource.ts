/** Login links (`POST /v1/accounts/:id/login_links`): an Express account's way into its dashboard. */
import { invalidRequest, resourceMissing } from '../sandbox.errors.js';
import { randomToken } from '../sandbox.ids.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { findAccount } from './account-data.js';

function createLoginLink(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null) throw resourceMissing('account', ctx.pathParams.id);
  const account = findAccount(ctx);
  if (account.data.type !== 'express') {
    throw invalidRequest('Login links can only be created for Express accounts.', 'account');
  }
  return {
    object: 'login_link',
    created: ctx.sandbox.clock.now(),
    url: `${ctx.sandbox.url}/_sandbox/express/${randomToken(24)}`,
  };
}

export function registerLoginLinks(sandbox: StripeSandbox): void {
  sandbox.route('POST', '/v1/accounts/:id/login_links', createLoginLink);
}
