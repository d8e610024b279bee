/** Transfers (`/v1/transfers`) from the platform to connected accounts, and their reversals. */
import { invalidParam, invalidRequest, missingParam, resourceMissing } from '../sandbox.errors.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { availableIn } from './balances.js';
import { readAmount, readCurrency } from './money-amounts.js';
import {
  accountOf,
  findOwned,
  listOwned,
  MONEY_LIST_PARAMS,
  plain,
  type MoneyData,
} from './money-data.js';
import { renderTransfer } from './money-render.js';
import { applyMetadata, optionalString } from './params.js';
import { createTransfer, reverseTransfer } from './transfer-actions.js';

const TRANSFER_PARAMS = [
  'amount',
  'currency',
  'destination',
  'transfer_group',
  'source_transaction',
  'description',
  'metadata',
  'source_type',
];

/** The destination: an account able to receive transfers. */
function readDestination(ctx: RequestContext): string {
  const destination = optionalString(ctx.params, 'destination');
  if (!destination) throw missingParam('destination');
  const account = accountOf(ctx.sandbox.store, destination);
  if (!account) throw resourceMissing('account', destination, 'destination');
  const capabilities = (account.data.capabilities ?? {}) as Record<string, { requested: boolean }>;
  if (!capabilities.transfers?.requested && !capabilities.card_payments?.requested) {
    throw invalidParam(
      'destination',
      'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
      'insufficient_capabilities_for_transfer',
    );
  }
  return destination;
}

/**
 * When the transferred funds are available: with `source_transaction`, when that charge's are (and no more
 * than it captured); otherwise now, out of the platform's available balance.
 */
function fundsAvailableOn(ctx: RequestContext, amount: number, currency: string): number {
  const now = ctx.sandbox.clock.now();
  const source = optionalString(ctx.params, 'source_transaction');
  if (source) {
    const charge = findOwned<MoneyData>(ctx, 'charge', source, 'charge', 'source_transaction');
    const txn = ctx.sandbox.store.get<MoneyData>(charge.data.balance_transaction as string);
    if (amount > (charge.data.amount_captured as number))
      throw invalidParam('amount', 'amount exceeds the source transaction', 'amount_too_large');
    return (txn?.data.available_on as number | undefined) ?? now;
  }
  if (availableIn(ctx.sandbox, null, currency) < amount) {
    throw invalidRequest(
      'You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.',
      undefined,
      'balance_insufficient',
    );
  }
  return now;
}

function transferFunds(ctx: RequestContext): Record<string, unknown> {
  if (ctx.scope !== null) throw invalidRequest('Transfers are made by the platform.');
  const currency = readCurrency(ctx.params);
  const amount = readAmount(ctx.params, 'amount', currency, true)!;
  const destination = readDestination(ctx);
  const availableOn = fundsAvailableOn(ctx, amount, currency);
  const transfer = createTransfer(ctx.sandbox, ctx, {
    amount,
    currency,
    destination,
    availableOn,
    description: optionalString(ctx.params, 'description') ?? null,
    metadata: applyMetadata({}, ctx.params),
    sourceTransaction: optionalString(ctx.params, 'source_transaction') ?? null,
    transferGroup: optionalString(ctx.params, 'transfer_group') ?? null,
  });
  return renderTransfer(ctx.sandbox.store, transfer);
}

function retrieveTransfer(ctx: RequestContext): Record<string, unknown> {
  return renderTransfer(
    ctx.sandbox.store,
    findOwned(ctx, 'transfer', ctx.pathParams.id, 'transfer'),
  );
}

function createReversal(ctx: RequestContext): MoneyData {
  const transfer = findOwned<MoneyData>(ctx, 'transfer', ctx.pathParams.id, 'transfer');
  const remaining = (transfer.data.amount as number) - (transfer.data.amount_reversed as number);
  const currency = transfer.data.currency as string;
  const amount = readAmount(ctx.params, 'amount', currency, false) ?? remaining;
  if (amount > remaining)
    throw invalidParam(
      'amount',
      `Reversal amount (${amount}) is greater than what remains of the transfer (${remaining})`,
      'amount_too_large',
    );
  const id = reverseTransfer(ctx.sandbox, ctx, transfer, amount);
  return plain(ctx.sandbox.store.get<MoneyData>(id)!);
}

function listTransfers(ctx: RequestContext): unknown {
  const render = (stored: StoredObject) => renderTransfer(ctx.sandbox.store, stored);
  return listOwned(ctx, 'transfer', '/v1/transfers', 'transfer', render);
}

export function registerTransfers(sandbox: StripeSandbox): void {
  sandbox.renderer('transfer', ['tr'], (stored) => renderTransfer(sandbox.store, stored));
  sandbox.renderer('transfer_reversal', ['trr'], plain);
  sandbox.route('POST', '/v1/transfers', transferFunds, TRANSFER_PARAMS);
  sandbox.route('GET', '/v1/transfers/:id', retrieveTransfer);
  sandbox.route('POST', '/v1/transfers/:id/reversals', createReversal, [
    'amount',
    'description',
    'metadata',
    'refund_application_fee',
  ]);
  sandbox.route('GET', '/v1/transfers', listTransfers, MONEY_LIST_PARAMS);
}
