/** Charges (`/v1/charges`): made by confirming PaymentIntents, retrieved and listed here. */
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { findOwned, listOwned, MONEY_LIST_PARAMS, plain } from './money-data.js';
import { renderCharge } from './money-render.js';

function retrieveCharge(ctx: RequestContext): Record<string, unknown> {
  return renderCharge(ctx.sandbox.store, findOwned(ctx, 'charge', ctx.pathParams.id, 'charge'));
}

function listCharges(ctx: RequestContext): unknown {
  const render = (stored: StoredObject) => renderCharge(ctx.sandbox.store, stored);
  return listOwned(ctx, 'charge', '/v1/charges', 'charge', render);
}

export function registerCharges(sandbox: StripeSandbox): void {
  sandbox.renderer('charge', ['ch', 'py'], plain);
  sandbox.route('GET', '/v1/charges/:id', retrieveCharge);
  sandbox.route('GET', '/v1/charges', listCharges, MONEY_LIST_PARAMS);
}
