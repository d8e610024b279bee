/**
 * Capturing a charge: the money moves to the platform (a platform charge), the connected account (a direct
 * charge, less the application fee), or through the platform to the destination (a destination charge).
 */
import { newId } from '../sandbox.ids.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { ledger, PENDING_SECONDS } from './balances.js';
import type { CardBehaviour } from './cards.js';
import { requestOf } from './event-emission.js';
import { embeddedList, type MoneyData } from './money-data.js';
import { createTransfer } from './transfer-actions.js';

interface TransferData {
  destination: string;
  amount?: number;
}

/** What a capture needs to know of its PaymentIntent and charge. */
interface Capture {
  intent: StoredObject<MoneyData>;
  charge: StoredObject<MoneyData>;
  amount: number;
  currency: string;
  fee: number;
  availableOn: number;
}

/** A destination charge: the captured amount less the fee (or `transfer_data[amount]`) to the destination. */
function transferToDestination(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  capture: Capture,
  transferData: TransferData,
): void {
  const { intent, charge, amount, fee } = capture;
  const transfer = createTransfer(sandbox, ctx, {
    amount: Math.min(amount, transferData.amount ?? amount - fee),
    currency: capture.currency,
    destination: transferData.destination,
    availableOn: capture.availableOn,
    description: null,
    metadata: {},
    sourceTransaction: charge.id,
    transferGroup: (intent.data.transfer_group as string | null | undefined) ?? null,
  });
  charge.data = { ...charge.data, transfer: transfer.id };
}

/** The application fee of a capture; a direct charge's connected account pays it to the platform. */
function takeApplicationFee(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  capture: Capture,
  transferData: TransferData | null,
): void {
  const { intent, charge, fee, currency, availableOn } = capture;
  const scope = intent.scope;
  if (!transferData && scope) {
    ledger(sandbox, scope, -fee, currency, 'application_fee', charge.id, availableOn);
    ledger(sandbox, null, fee, currency, 'application_fee', charge.id, availableOn);
  }
  const id = newId('fee');
  const stored = sandbox.store.insert<MoneyData>('application_fee', null, id, {
    id,
    object: 'application_fee',
    account: transferData?.destination ?? scope,
    amount: fee,
    amount_refunded: 0,
    application: 'ca_sandbox_platform',
    balance_transaction: null,
    charge: charge.id,
    created: sandbox.clock.now(),
    currency,
    fee_source: { charge: charge.id, type: 'charge' },
    livemode: false,
    originating_transaction: charge.id,
    refunded: false,
    refunds: embeddedList([], `/v1/application_fees/${id}/refunds`),
  });
  charge.data = { ...charge.data, application_fee: id };
  sandbox.emit(
    'application_fee.created',
    { ...stored.data },
    { scope: null, request: requestOf(ctx) },
  );
}

/** Captures `amount` of an authorised charge: the money moves, and the PaymentIntent succeeds. */
export function settleCapture(
  sandbox: StripeSandbox,
  ctx: RequestContext | null,
  intent: StoredObject<MoneyData>,
  charge: StoredObject<MoneyData>,
  amount: number,
  behaviour: CardBehaviour,
): void {
  const now = sandbox.clock.now();
  const capture: Capture = {
    intent,
    charge,
    amount,
    currency: intent.data.currency as string,
    fee: (intent.data.application_fee_amount as number | null) ?? 0,
    availableOn: behaviour.bypassPending ? now : now + PENDING_SECONDS,
  };
  const transferData = intent.data.transfer_data as TransferData | null;
  const txn = ledger(
    sandbox,
    intent.scope,
    amount,
    capture.currency,
    'charge',
    charge.id,
    capture.availableOn,
  );
  charge.data = {
    ...charge.data,
    amount_captured: amount,
    captured: true,
    balance_transaction: txn,
  };
  if (transferData) transferToDestination(sandbox, ctx, capture, transferData);
  if (capture.fee > 0) takeApplicationFee(sandbox, ctx, capture, transferData);
  sandbox.store.save(charge);
  intent.data = {
    ...intent.data,
    status: 'succeeded',
    amount_received: amount,
    amount_capturable: 0,
  };
  sandbox.store.save(intent);
  // The trigger card asks a Connect account for its next requirements.
  const connected = intent.scope ?? (intent.data.on_behalf_of as string | null);
  if (behaviour.triggerNextRequirements && connected)
    sandbox.scheduleTask('requirements_due', now, { account: connected });
}
