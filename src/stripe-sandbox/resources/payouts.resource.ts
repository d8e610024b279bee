/**
 * Payouts (`/v1/payouts`) from an account's available balance to its bank account: pending, in transit after
 * a day (standard), then paid, or failed by Stripe's test bank numbers (the funds come back).
 */
import type { FormObject } from '../form-codec.js';
import { invalidParam, invalidRequest, resourceMissing } from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { renderExternalAccount } from './account-render.js';
import { availableIn, ledger, PENDING_SECONDS } from './balances.js';
import { emitFrom } from './event-emission.js';
import { readAmount, readCurrency } from './money-amounts.js';
import { findOwned, listOwned, MONEY_LIST_PARAMS, plain, type MoneyData } from './money-data.js';
import { applyMetadata, optionalString } from './params.js';

const PAYOUT_PARAMS = [
  'amount',
  'currency',
  'destination',
  'method',
  'statement_descriptor',
  'description',
  'metadata',
  'source_type',
];
const IN_TRANSIT_AFTER_SECONDS = 86_400;
const INSTANT_ARRIVAL_SECONDS = 1800;

function findPending(sandbox: StripeSandbox, id: string): StoredObject<MoneyData> | undefined {
  const payout = sandbox.store.get<MoneyData>(id);
  if (!payout || !['pending', 'in_transit'].includes(payout.data.status as string))
    return undefined;
  return payout;
}

/** The `payout_in_transit` task: the bank has the payout. */
function markInTransit(sandbox: StripeSandbox, id: string): void {
  const payout = findPending(sandbox, id);
  if (!payout) return;
  payout.data = { ...payout.data, status: 'in_transit' };
  sandbox.store.save(payout);
  sandbox.emit(
    'payout.updated',
    { ...payout.data },
    { scope: payout.scope, previousAttributes: { status: 'pending' } },
  );
}

/** A failed payout: the funds return to the balance, and the bank account is marked errored. */
function failPayout(
  sandbox: StripeSandbox,
  payout: StoredObject<MoneyData>,
  failure: string,
): void {
  const previous = payout.data.status;
  const amount = payout.data.amount as number;
  const currency = payout.data.currency as string;
  ledger(sandbox, payout.scope, amount, currency, 'payout_failure', payout.id, sandbox.clock.now());
  payout.data = {
    ...payout.data,
    status: 'failed',
    failure_code: failure,
    failure_message: `The payout failed: ${failure.replace(/_/g, ' ')}.`,
  };
  sandbox.store.save(payout);
  const bank = sandbox.store.get<MoneyData>(payout.data.destination as string);
  if (bank) {
    bank.data = { ...bank.data, status: 'errored' };
    sandbox.store.save(bank);
    sandbox.emit('account.external_account.updated', renderExternalAccount(bank), {
      scope: payout.scope,
      previousAttributes: { status: 'new' },
    });
  }
  sandbox.emit(
    'payout.failed',
    { ...payout.data },
    { scope: payout.scope, previousAttributes: { status: previous } },
  );
}

/** The `payout_arrival` task: paid, or failed when the bank account is one of Stripe's failing numbers. */
function settlePayout(sandbox: StripeSandbox, id: string): void {
  const payout = findPending(sandbox, id);
  if (!payout) return;
  const bank = sandbox.store.get<MoneyData>(payout.data.destination as string);
  const failure = bank?.data.payout_failure_code as string | null | undefined;
  if (failure) return failPayout(sandbox, payout, failure);
  const previous = payout.data.status;
  payout.data = { ...payout.data, status: 'paid' };
  sandbox.store.save(payout);
  sandbox.emit(
    'payout.paid',
    { ...payout.data },
    { scope: payout.scope, previousAttributes: { status: previous } },
  );
}

function readPayoutAmount(params: FormObject, currency: string): number {
  const name = 'payout_amount' in params ? 'payout_amount' : 'amount';
  const amount = readAmount(params, name, currency, true)!;
  if (['huf', 'isk', 'twd'].includes(currency) && amount % 100 !== 0)
    throw invalidParam('amount', `Payouts in ${currency} must be whole units`, 'invalid_amount');
  return amount;
}

function readMethod(params: FormObject): 'standard' | 'instant' {
  const method = optionalString(params, 'method') ?? 'standard';
  if (method !== 'standard' && method !== 'instant')
    throw invalidParam('method', 'Invalid method: must be standard or instant');
  return method;
}

/** The bank account paid: `destination`, or the default one for the currency. */
function payoutBank(
  ctx: RequestContext,
  currency: string,
  method: string,
): StoredObject<MoneyData> {
  const banks = ctx.sandbox.store.list<MoneyData>(
    'external_account',
    (e) => e.scope === ctx.scope && e.data.currency === currency,
  );
  const destinationId = optionalString(ctx.params, 'destination');
  const bank = destinationId
    ? banks.find((b) => b.id === destinationId)
    : banks.find((b) => b.data.default_for_currency);
  if (destinationId && !bank)
    throw resourceMissing('external account', destinationId, 'destination');
  if (!bank)
    throw invalidRequest(
      `You do not have a default external account for ${currency}.`,
      'destination',
      'no_external_account',
    );
  if (method === 'instant' && !bank.data.instant_payouts) {
    throw invalidParam(
      'method',
      'This bank account is not eligible for Instant Payouts.',
      'instant_payouts_unsupported',
    );
  }
  return bank;
}

function createPayout(ctx: RequestContext): MoneyData {
  const sandbox = ctx.sandbox;
  const currency = readCurrency(ctx.params);
  const amount = readPayoutAmount(ctx.params, currency);
  const method = readMethod(ctx.params);
  const bank = payoutBank(ctx, currency, method);
  if (availableIn(sandbox, ctx.scope, currency) < amount) {
    throw invalidRequest(
      'You have insufficient funds in your Stripe account for this transfer. Your card balance is too low.',
      'amount',
      'balance_insufficient',
    );
  }
  const now = sandbox.clock.now();
  const id = newId('po');
  const arrival = now + (method === 'instant' ? INSTANT_ARRIVAL_SECONDS : PENDING_SECONDS);
  const payout = sandbox.store.insert<MoneyData>('payout', ctx.scope, id, {
    id,
    object: 'payout',
    amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: arrival,
    automatic: false,
    balance_transaction: ledger(sandbox, ctx.scope, -amount, currency, 'payout', id, now),
    created: now,
    currency,
    description: optionalString(ctx.params, 'description') ?? null,
    destination: bank.id,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: applyMetadata({}, ctx.params),
    method,
    original_payout: null,
    reconciliation_status: 'not_applicable',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: optionalString(ctx.params, 'statement_descriptor') ?? null,
    status: 'pending',
    type: 'bank_account',
  });
  if (method === 'standard')
    sandbox.scheduleTask('payout_in_transit', now + IN_TRANSIT_AFTER_SECONDS, { payout: id });
  sandbox.scheduleTask('payout_arrival', arrival, { payout: id });
  emitFrom(ctx, 'payout.created', { ...payout.data }, ctx.scope);
  return { ...payout.data };
}

function retrievePayout(ctx: RequestContext): MoneyData {
  return plain(findOwned(ctx, 'payout', ctx.pathParams.id, 'payout'));
}

function listPayouts(ctx: RequestContext): unknown {
  return listOwned(ctx, 'payout', '/v1/payouts', 'payout');
}

export function registerPayouts(sandbox: StripeSandbox): void {
  sandbox.renderer('payout', ['po'], plain);
  sandbox.onTask('payout_in_transit', (task) =>
    markInTransit(sandbox, String(task.payload.payout)),
  );
  sandbox.onTask('payout_arrival', (task) => settlePayout(sandbox, String(task.payload.payout)));
  sandbox.route('POST', '/v1/payouts', createPayout, PAYOUT_PARAMS);
  sandbox.route('GET', '/v1/payouts/:id', retrievePayout);
  sandbox.route('GET', '/v1/payouts', listPayouts, MONEY_LIST_PARAMS);
}
