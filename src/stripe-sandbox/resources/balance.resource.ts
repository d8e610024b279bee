/** The balance (`GET /v1/balance`) and its transactions (`GET /v1/balance_transactions`). */
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { balanceOf, releasePending } from './balances.js';
import { listOwned, MONEY_LIST_PARAMS, plain } from './money-data.js';

function retrieveBalance(ctx: RequestContext): Record<string, unknown> {
  return balanceOf(ctx.sandbox, ctx.scope);
}

function listBalanceTransactions(ctx: RequestContext): unknown {
  return listOwned(ctx, 'balance_transaction', '/v1/balance_transactions', 'balance transaction');
}

export function registerBalance(sandbox: StripeSandbox): void {
  sandbox.renderer('balance_transaction', ['txn'], plain);
  sandbox.onTask('balance_available', (task) => releasePending(sandbox, task));
  sandbox.route('GET', '/v1/balance', retrieveBalance);
  sandbox.route('GET', '/v1/balance_transactions', listBalanceTransactions, MONEY_LIST_PARAMS);
}
