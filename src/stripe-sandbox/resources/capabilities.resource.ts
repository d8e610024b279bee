/** An account's capabilities (`/v1/accounts/:id/capabilities`): listed, retrieved, requested or not. */
import { resourceMissing } from '../sandbox.errors.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { changingAccount } from './account-changes.js';
import { findAccount } from './account-data.js';
import { applyAccountParams } from './account-params.js';
import { renderCapability } from './account-render.js';
import { CAPABILITIES } from './countries.js';
import { optionalBoolean } from './params.js';

function capabilityName(ctx: RequestContext): string {
  const name = ctx.pathParams.capability;
  if (!CAPABILITIES.includes(name)) throw resourceMissing('capability', name, 'capability');
  return name;
}

function listCapabilities(ctx: RequestContext): unknown {
  const account = findAccount(ctx).data;
  const names = Object.keys(account.capabilities).sort();
  return {
    object: 'list',
    data: names.map((n) => renderCapability(ctx.sandbox.store, account, n)),
    has_more: false,
    url: `/v1/accounts/${account.id}/capabilities`,
  };
}

function retrieveCapability(ctx: RequestContext): Record<string, unknown> {
  const account = findAccount(ctx).data;
  return renderCapability(ctx.sandbox.store, account, capabilityName(ctx));
}

function updateCapability(ctx: RequestContext): Record<string, unknown> {
  const stored = findAccount(ctx);
  const name = capabilityName(ctx);
  const requested = optionalBoolean(ctx.params, 'requested');
  return changingAccount(ctx.sandbox, ctx, stored, () => {
    if (requested !== undefined) {
      const params = { capabilities: { [name]: { requested: String(requested) } } };
      stored.data = applyAccountParams(ctx, stored.data, params, false);
      ctx.sandbox.store.save(stored);
    }
    return renderCapability(ctx.sandbox.store, stored.data, name);
  });
}

export function registerCapabilities(sandbox: StripeSandbox): void {
  sandbox.route('GET', '/v1/accounts/:id/capabilities', listCapabilities);
  sandbox.route('GET', '/v1/accounts/:id/capabilities/:capability', retrieveCapability);
  sandbox.route('POST', '/v1/accounts/:id/capabilities/:capability', updateCapability, [
    'requested',
  ]);
}
