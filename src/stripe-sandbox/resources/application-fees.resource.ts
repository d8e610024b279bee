/** Application fees (`/v1/application_fees`): what the platform took of its connected accounts' charges. */
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { findOwned, listOwned, MONEY_LIST_PARAMS, plain } from './money-data.js';

function retrieveApplicationFee(ctx: RequestContext): Record<string, unknown> {
  return plain(findOwned(ctx, 'application_fee', ctx.pathParams.id, 'application fee'));
}

function listApplicationFees(ctx: RequestContext): unknown {
  return listOwned(ctx, 'application_fee', '/v1/application_fees', 'application fee');
}

export function registerApplicationFees(sandbox: StripeSandbox): void {
  sandbox.renderer('application_fee', ['fee'], plain);
  sandbox.route('GET', '/v1/application_fees/:id', retrieveApplicationFee);
  sandbox.route('GET', '/v1/application_fees', listApplicationFees, MONEY_LIST_PARAMS);
}
