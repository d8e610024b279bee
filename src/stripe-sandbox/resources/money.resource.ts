/**
 * Money in the sandbox: payment methods, PaymentIntents and the charges they make, refunds, application fees,
 * balances (pending, then available at `available_on` on the sandbox clock), transfers and reversals, payouts
 * (settling or failing by Stripe's test bank numbers), with their events. Stripe's processing fees are not
 * modelled: a charge's net is its amount.
 */
import type { FormObject } from '../form-codec.js';
import {
  invalidParam,
  invalidRequest,
  missingParam,
  resourceMissing,
  SandboxError,
} from '../sandbox.errors.js';
import { newId } from '../sandbox.ids.js';
import { matchesRange, paginate } from '../sandbox.list.js';
import type { StoredObject } from '../sandbox.store.js';
import type { RequestContext, StripeSandbox } from '../stripe-sandbox.js';
import { cardFor, type CardBehaviour } from './cards.js';
import {
  applyMetadata,
  optionalBoolean,
  optionalHash,
  optionalInteger,
  optionalString,
} from './params.js';

type Data = Record<string, unknown> & { id: string };

const PENDING_SECONDS = 2 * 86_400;
const MINIMUMS: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  cad: 50,
  aud: 50,
  jpy: 50,
  chf: 50,
  dkk: 250,
  nok: 300,
  sek: 300,
};
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

function list(data: unknown[], url: string) {
  return { object: 'list', data, has_more: false, total_count: data.length, url };
}

export function registerMoneyRoutes(sandbox: StripeSandbox): void {
  const store = sandbox.store;
  const now = () => sandbox.clock.now();
  const request = (ctx: RequestContext | null) => ({
    id: ctx?.requestId ?? null,
    idempotency_key: ctx?.idempotencyKey ?? null,
  });
  const plain = (stored: StoredObject) => ({ ...(stored.data as Data) });
  for (const [kind, prefixes] of [
    ['payment_method', ['pm']],
    ['payment_intent', ['pi']],
    ['charge', ['ch', 'py']],
    ['refund', ['re']],
    ['application_fee', ['fee']],
    ['transfer', ['tr']],
    ['transfer_reversal', ['trr']],
    ['payout', ['po']],
    ['balance_transaction', ['txn']],
  ] as const) {
    sandbox.renderer(kind, [...prefixes], kind === 'transfer' ? (s) => renderTransfer(s) : plain);
  }

  const find = <T extends Data>(
    ctx: RequestContext,
    kind: string,
    id: string,
    noun: string,
    param = 'id',
  ): StoredObject<T> => {
    const stored = store.get<T>(id);
    if (!stored || stored.kind !== kind || stored.scope !== ctx.scope)
      throw resourceMissing(noun, id, param);
    return stored;
  };

  const accountOf = (id: string): StoredObject<Data> | undefined => {
    const stored = store.get<Data>(id);
    return stored && stored.kind === 'account' && !stored.data.deleted ? stored : undefined;
  };

  // ---- balances

  /** Moves money on an account's balance (null: the platform's), available at `availableOn`. */
  const ledger = (
    scope: string | null,
    amount: number,
    currency: string,
    type: string,
    source: string | null,
    availableOn: number,
  ): string => {
    const id = newId('txn');
    store.insert('balance_transaction', scope, id, {
      id,
      object: 'balance_transaction',
      amount,
      available_on: availableOn,
      created: now(),
      currency,
      description: null,
      fee: 0,
      fee_details: [],
      net: amount,
      reporting_category: type,
      source,
      status: availableOn <= now() ? 'available' : 'pending',
      type,
    });
    if (availableOn > now() && amount > 0)
      sandbox.scheduleTask('balance_available', availableOn, { scope });
    return id;
  };

  const balanceOf = (scope: string | null) => {
    const available = new Map<string, number>();
    const pending = new Map<string, number>();
    for (const txn of store.list<Data>('balance_transaction', (t) => t.scope === scope)) {
      const target = (txn.data.available_on as number) <= now() ? available : pending;
      const currency = txn.data.currency as string;
      target.set(currency, (target.get(currency) ?? 0) + (txn.data.amount as number));
    }
    const rows = (map: Map<string, number>) =>
      [...map].map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } }));
    return {
      object: 'balance',
      available: rows(available),
      pending: rows(pending),
      livemode: false,
    };
  };

  const availableIn = (scope: string | null, currency: string) =>
    balanceOf(scope).available.find((b) => b.currency === currency)?.amount ?? 0;

  sandbox.onTask('balance_available', (task) => {
    const scope = (task.payload.scope as string | null) ?? null;
    for (const txn of store.list<Data>(
      'balance_transaction',
      (t) =>
        t.scope === scope &&
        t.data.status === 'pending' &&
        (t.data.available_on as number) <= now(),
    )) {
      txn.data = { ...txn.data, status: 'available' };
      store.save(txn);
    }
    sandbox.emit('balance.available', balanceOf(scope), { scope });
  });

  sandbox.route('GET', '/v1/balance', (ctx) => balanceOf(ctx.scope));

  // ---- payment methods

  interface PaymentMethodData extends Data {
    card: {
      brand: string;
      last4: string;
      funding: string;
      country: string;
      exp_month: number;
      exp_year: number;
    };
    behaviour: CardBehaviour;
  }

  const paymentMethod = (
    ctx: RequestContext,
    reference: string,
    param: string,
  ): { id: string; behaviour: CardBehaviour } => {
    const stored = store.get<PaymentMethodData>(reference);
    if (
      stored &&
      stored.kind === 'payment_method' &&
      (stored.scope === ctx.scope || stored.scope === null)
    ) {
      return { id: stored.id, behaviour: stored.data.behaviour };
    }
    const behaviour =
      reference.startsWith('pm_') || reference.startsWith('tok_') ? cardFor(reference) : undefined;
    if (!behaviour) throw resourceMissing('PaymentMethod', reference, param);
    return { id: reference, behaviour };
  };

  sandbox.route(
    'POST',
    '/v1/payment_methods',
    (ctx) => {
      if (optionalString(ctx.params, 'type') !== 'card')
        throw invalidParam('type', 'The sandbox takes type=card');
      const card = optionalHash(ctx.params, 'card') ?? {};
      const reference =
        optionalString(card, 'token', 'card[token]') ??
        optionalString(card, 'number', 'card[number]')?.replace(/\s/g, '');
      if (!reference) throw missingParam('card[number]');
      const behaviour = cardFor(reference);
      if (!behaviour)
        throw invalidParam('card[number]', 'Your card number is incorrect.', 'incorrect_number');
      const id = newId('pm');
      const stored = store.insert<PaymentMethodData>('payment_method', ctx.scope, id, {
        id,
        object: 'payment_method',
        billing_details: { address: null, email: null, name: null, phone: null },
        card: {
          brand: behaviour.brand,
          last4: behaviour.last4,
          funding: behaviour.funding,
          country: behaviour.country,
          exp_month: 12,
          exp_year: 2034,
        },
        created: now(),
        customer: null,
        livemode: false,
        metadata: applyMetadata({}, ctx.params),
        type: 'card',
        behaviour,
      });
      const { behaviour: _b, ...visible } = stored.data;
      return visible;
    },
    ['type', 'card', 'billing_details', 'metadata'],
  );

  // ---- payment intents, charges, fees

  const renderCharge = (charge: StoredObject<Data>) => {
    const refunds = store.list<Data>('refund', (r) => r.data.charge === charge.id);
    return {
      ...charge.data,
      refunds: list(
        refunds.map((r) => ({ ...r.data })),
        `/v1/charges/${charge.id}/refunds`,
      ),
    };
  };

  const emitIntent = (ctx: RequestContext | null, type: string, intent: StoredObject<Data>) =>
    sandbox.emit(type, { ...intent.data }, { scope: intent.scope, request: request(ctx) });

  /** Captures `amount` of an authorised charge: the money moves (destination, direct, or platform). */
  const settleCapture = (
    ctx: RequestContext | null,
    intent: StoredObject<Data>,
    charge: StoredObject<Data>,
    amount: number,
    behaviour: CardBehaviour,
  ) => {
    const currency = intent.data.currency as string;
    const availableOn = behaviour.bypassPending ? now() : now() + PENDING_SECONDS;
    const scope = intent.scope;
    const fee = (intent.data.application_fee_amount as number | null) ?? 0;
    const transferData = intent.data.transfer_data as {
      destination: string;
      amount?: number;
    } | null;
    const txn = ledger(scope, amount, currency, 'charge', charge.id, availableOn);
    charge.data = {
      ...charge.data,
      amount_captured: amount,
      captured: true,
      balance_transaction: txn,
    };
    if (transferData) {
      const transferAmount = Math.min(amount, transferData.amount ?? amount - fee);
      const transferId = newId('tr');
      const payment = newId('py');
      store.insert('transfer', null, transferId, {
        id: transferId,
        object: 'transfer',
        amount: transferAmount,
        amount_reversed: 0,
        balance_transaction: ledger(
          null,
          -transferAmount,
          currency,
          'transfer',
          transferId,
          availableOn,
        ),
        created: now(),
        currency,
        description: null,
        destination: transferData.destination,
        destination_payment: payment,
        livemode: false,
        metadata: {},
        reversed: false,
        source_transaction: charge.id,
        source_type: 'card',
        transfer_group: intent.data.transfer_group ?? null,
      });
      ledger(transferData.destination, transferAmount, currency, 'payment', payment, availableOn);
      charge.data = { ...charge.data, transfer: transferId };
      sandbox.emit('transfer.created', renderTransfer(store.get(transferId)!), {
        scope: null,
        request: request(ctx),
      });
    }
    if (fee > 0) {
      const payer = transferData?.destination ?? scope;
      if (!transferData && scope) {
        ledger(scope, -fee, currency, 'application_fee', charge.id, availableOn);
        ledger(null, fee, currency, 'application_fee', charge.id, availableOn);
      }
      const feeId = newId('fee');
      store.insert('application_fee', null, feeId, {
        id: feeId,
        object: 'application_fee',
        account: payer,
        amount: fee,
        amount_refunded: 0,
        application: 'ca_sandbox_platform',
        balance_transaction: null,
        charge: charge.id,
        created: now(),
        currency,
        fee_source: { charge: charge.id, type: 'charge' },
        livemode: false,
        originating_transaction: charge.id,
        refunded: false,
        refunds: list([], `/v1/application_fees/${feeId}/refunds`),
      });
      charge.data = { ...charge.data, application_fee: feeId };
      sandbox.emit(
        'application_fee.created',
        { ...store.get<Data>(feeId)!.data },
        { scope: null, request: request(ctx) },
      );
    }
    store.save(charge);
    intent.data = {
      ...intent.data,
      status: 'succeeded',
      amount_received: amount,
      amount_capturable: 0,
    };
    store.save(intent);
    // The trigger card asks a Connect account for its next requirements.
    const connected = scope ?? (intent.data.on_behalf_of as string | null);
    if (behaviour.triggerNextRequirements && connected)
      sandbox.scheduleTask('requirements_due', now(), { account: connected });
  };

  /** Confirms a PaymentIntent with its payment method: a decline is a 402 card error and a failed charge. */
  const confirm = (ctx: RequestContext, intent: StoredObject<Data>): void => {
    const reference = intent.data.payment_method as string | null;
    if (!reference)
      throw invalidRequest(
        'You cannot confirm this PaymentIntent because it\u2019s missing a payment method.',
        'payment_method',
        'payment_intent_unexpected_state',
      );
    const { id: pmId, behaviour } = paymentMethod(ctx, reference, 'payment_method');
    const chargeId = newId('ch');
    const base = {
      id: chargeId,
      object: 'charge',
      amount: intent.data.amount,
      amount_captured: 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: intent.data.application_fee_amount ?? null,
      balance_transaction: null,
      billing_details: { address: null, email: null, name: null, phone: null },
      calculated_statement_descriptor: 'SANDBOX',
      captured: false,
      created: now(),
      currency: intent.data.currency,
      customer: intent.data.customer ?? null,
      description: intent.data.description ?? null,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      fraud_details: {},
      livemode: false,
      metadata: intent.data.metadata,
      on_behalf_of: intent.data.on_behalf_of ?? null,
      outcome: {
        network_status: 'approved_by_network',
        reason: null,
        risk_level: 'normal',
        seller_message: 'Payment complete.',
        type: 'authorized',
      },
      paid: true,
      payment_intent: intent.id,
      payment_method: pmId,
      payment_method_details: {
        card: {
          brand: behaviour.brand,
          country: behaviour.country,
          exp_month: 12,
          exp_year: 2034,
          funding: behaviour.funding,
          last4: behaviour.last4,
        },
        type: 'card',
      },
      receipt_email: null,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'succeeded',
      transfer: null,
      transfer_data: intent.data.transfer_data ?? null,
      transfer_group: intent.data.transfer_group ?? null,
    };
    if (behaviour.decline) {
      const { code, declineCode, message } = behaviour.decline;
      const charge = store.insert<Data>('charge', intent.scope, chargeId, {
        ...base,
        paid: false,
        status: 'failed',
        failure_code: code,
        failure_message: message,
        outcome: {
          network_status: 'declined_by_network',
          reason: declineCode ?? code,
          risk_level: 'normal',
          seller_message: 'The bank declined the payment.',
          type: 'issuer_declined',
        },
      });
      const error = {
        type: 'card_error',
        code,
        decline_code: declineCode ?? null,
        message,
        charge: chargeId,
        payment_method: { id: pmId },
      };
      intent.data = {
        ...intent.data,
        status: 'requires_payment_method',
        latest_charge: chargeId,
        last_payment_error: error,
        payment_method: null,
      };
      store.save(intent);
      sandbox.emit('charge.failed', renderCharge(charge), {
        scope: intent.scope,
        request: request(ctx),
      });
      emitIntent(ctx, 'payment_intent.payment_failed', intent);
      throw new SandboxError(402, 'card_error', message, {
        code,
        decline_code: declineCode,
        param: 'payment_method',
        payment_intent: { ...intent.data },
      });
    }
    const charge = store.insert<Data>('charge', intent.scope, chargeId, base);
    intent.data = {
      ...intent.data,
      latest_charge: chargeId,
      last_payment_error: null,
      payment_method: pmId,
    };
    if (intent.data.capture_method === 'manual') {
      intent.data = {
        ...intent.data,
        status: 'requires_capture',
        amount_capturable: intent.data.amount,
      };
      store.save(intent);
      sandbox.emit('charge.succeeded', renderCharge(charge), {
        scope: intent.scope,
        request: request(ctx),
      });
      emitIntent(ctx, 'payment_intent.amount_capturable_updated', intent);
      return;
    }
    settleCapture(ctx, intent, charge, intent.data.amount as number, behaviour);
    sandbox.emit('charge.succeeded', renderCharge(charge), {
      scope: intent.scope,
      request: request(ctx),
    });
    emitIntent(ctx, 'payment_intent.succeeded', intent);
  };

  const readAmount = (
    params: FormObject,
    name: string,
    currency: string,
    required: boolean,
  ): number | undefined => {
    const amount = optionalInteger(params, name);
    if (amount === undefined) {
      if (required) throw missingParam(name);
      return undefined;
    }
    if (amount <= 0)
      throw invalidParam(name, `Invalid positive integer`, 'parameter_invalid_integer');
    if (amount > 99_999_999)
      throw invalidParam(name, 'Amount must be no more than 99,999,999', 'amount_too_large');
    const minimum = MINIMUMS[currency];
    if (name === 'amount' && minimum && amount < minimum) {
      const shown = ZERO_DECIMAL.has(currency) ? `${minimum}` : `${(minimum / 100).toFixed(2)}`;
      throw invalidParam(name, `Amount must be at least ${shown} ${currency}`, 'amount_too_small');
    }
    if (['bhd', 'jod', 'kwd', 'omr', 'tnd'].includes(currency) && amount % 10 !== 0) {
      throw invalidParam(name, `Amounts in ${currency} must end in 0`, 'invalid_amount');
    }
    return amount;
  };

  const INTENT_PARAMS = [
    'amount',
    'currency',
    'payment_method',
    'customer',
    'confirm',
    'capture_method',
    'transfer_data',
    'application_fee_amount',
    'on_behalf_of',
    'transfer_group',
    'description',
    'metadata',
    'payment_method_types',
    'automatic_payment_methods',
    'receipt_email',
    'statement_descriptor',
    'statement_descriptor_suffix',
    'off_session',
    'setup_future_usage',
  ];

  sandbox.route(
    'POST',
    '/v1/payment_intents',
    (ctx) => {
      const currency = optionalString(ctx.params, 'currency')?.toLowerCase();
      if (!currency) throw missingParam('currency');
      const amount = readAmount(ctx.params, 'amount', currency, true)!;
      const fee = readAmount(ctx.params, 'application_fee_amount', currency, false);
      if (fee !== undefined && fee > amount)
        throw invalidParam('application_fee_amount', 'application_fee_amount cannot exceed amount');
      const transfer = optionalHash(ctx.params, 'transfer_data');
      let transferData: { destination: string; amount?: number } | null = null;
      if (transfer) {
        if (ctx.scope !== null)
          throw invalidParam('transfer_data', 'transfer_data is not allowed on a direct charge');
        const destination = optionalString(transfer, 'destination', 'transfer_data[destination]');
        if (!destination || !accountOf(destination))
          throw resourceMissing('account', destination ?? '', 'transfer_data[destination]');
        const transferAmount = readAmount(transfer, 'amount', currency, false);
        if (transferAmount !== undefined && transferAmount > amount)
          throw invalidParam('transfer_data[amount]', 'transfer_data[amount] cannot exceed amount');
        if (transferAmount !== undefined && fee !== undefined)
          throw invalidParam(
            'application_fee_amount',
            'Use either transfer_data[amount] or application_fee_amount',
          );
        transferData = {
          destination,
          ...(transferAmount !== undefined ? { amount: transferAmount } : {}),
        };
      }
      if (fee !== undefined && !transferData && ctx.scope === null) {
        throw invalidParam(
          'application_fee_amount',
          'An application fee can only be taken on a direct charge or with transfer_data',
        );
      }
      const onBehalfOf = optionalString(ctx.params, 'on_behalf_of');
      if (onBehalfOf && !accountOf(onBehalfOf))
        throw resourceMissing('account', onBehalfOf, 'on_behalf_of');
      const customer = optionalString(ctx.params, 'customer');
      if (customer) find(ctx, 'customer', customer, 'customer', 'customer');
      const captureMethod = optionalString(ctx.params, 'capture_method') ?? 'automatic';
      if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod))
        throw invalidParam('capture_method', 'Invalid capture_method');
      const id = newId('pi');
      const intent = store.insert<Data>('payment_intent', ctx.scope, id, {
        id,
        object: 'payment_intent',
        allowed_payment_method_types: null,
        amount,
        amount_capturable: 0,
        amount_received: 0,
        application: null,
        application_fee_amount: fee ?? null,
        automatic_payment_methods: null,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: captureMethod === 'manual' ? 'manual' : 'automatic',
        client_secret: `${id}_secret_${newId('s').slice(4)}`,
        confirmation_method: 'automatic',
        created: now(),
        currency,
        customer: customer ?? null,
        description: optionalString(ctx.params, 'description') ?? null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: applyMetadata({}, ctx.params),
        next_action: null,
        on_behalf_of: onBehalfOf ?? null,
        payment_method: optionalString(ctx.params, 'payment_method') ?? null,
        payment_method_options: {},
        payment_method_types: ['card'],
        processing: null,
        receipt_email: optionalString(ctx.params, 'receipt_email') ?? null,
        review: null,
        setup_future_usage: null,
        shipping: null,
        source: null,
        statement_descriptor: optionalString(ctx.params, 'statement_descriptor') ?? null,
        statement_descriptor_suffix:
          optionalString(ctx.params, 'statement_descriptor_suffix') ?? null,
        status: optionalString(ctx.params, 'payment_method')
          ? 'requires_confirmation'
          : 'requires_payment_method',
        transfer_data: transferData,
        transfer_group: optionalString(ctx.params, 'transfer_group') ?? null,
      });
      emitIntent(ctx, 'payment_intent.created', intent);
      if (optionalBoolean(ctx.params, 'confirm')) confirm(ctx, intent);
      return { ...intent.data };
    },
    INTENT_PARAMS,
  );

  sandbox.route('GET', '/v1/payment_intents/:id', (ctx) =>
    plain(find(ctx, 'payment_intent', ctx.pathParams.id, 'payment_intent')),
  );

  sandbox.route(
    'POST',
    '/v1/payment_intents/:id/confirm',
    (ctx) => {
      const intent = find<Data>(ctx, 'payment_intent', ctx.pathParams.id, 'payment_intent');
      if (
        !['requires_payment_method', 'requires_confirmation'].includes(intent.data.status as string)
      ) {
        throw invalidRequest(
          `This PaymentIntent's status is ${String(intent.data.status)}: it cannot be confirmed.`,
          undefined,
          'payment_intent_unexpected_state',
        );
      }
      const pm = optionalString(ctx.params, 'payment_method');
      if (pm) intent.data = { ...intent.data, payment_method: pm };
      confirm(ctx, intent);
      return { ...intent.data };
    },
    ['payment_method', 'return_url', 'off_session'],
  );

  sandbox.route(
    'POST',
    '/v1/payment_intents/:id/capture',
    (ctx) => {
      const intent = find<Data>(ctx, 'payment_intent', ctx.pathParams.id, 'payment_intent');
      if (intent.data.status !== 'requires_capture') {
        throw invalidRequest(
          `This PaymentIntent could not be captured because it has a status of ${String(intent.data.status)}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
          undefined,
          'payment_intent_unexpected_state',
        );
      }
      const capturable = intent.data.amount_capturable as number;
      const amount =
        readAmount(ctx.params, 'amount_to_capture', intent.data.currency as string, false) ??
        capturable;
      if (amount > capturable)
        throw invalidParam(
          'amount_to_capture',
          `amount_to_capture cannot exceed ${capturable}`,
          'amount_too_large',
        );
      const fee = optionalInteger(ctx.params, 'application_fee_amount');
      if (fee !== undefined) intent.data = { ...intent.data, application_fee_amount: fee };
      const charge = store.get<Data>(intent.data.latest_charge as string)!;
      const { behaviour } = paymentMethod(
        ctx,
        intent.data.payment_method as string,
        'payment_method',
      );
      settleCapture(ctx, intent, charge, amount, behaviour);
      sandbox.emit('charge.captured', renderCharge(charge), {
        scope: intent.scope,
        request: request(ctx),
      });
      emitIntent(ctx, 'payment_intent.succeeded', intent);
      return { ...intent.data };
    },
    ['amount_to_capture', 'application_fee_amount', 'metadata'],
  );

  sandbox.route(
    'POST',
    '/v1/payment_intents/:id/cancel',
    (ctx) => {
      const intent = find<Data>(ctx, 'payment_intent', ctx.pathParams.id, 'payment_intent');
      if (['succeeded', 'canceled'].includes(intent.data.status as string)) {
        throw invalidRequest(
          `You cannot cancel this PaymentIntent because it has a status of ${String(intent.data.status)}.`,
          undefined,
          'payment_intent_unexpected_state',
        );
      }
      intent.data = {
        ...intent.data,
        status: 'canceled',
        canceled_at: now(),
        amount_capturable: 0,
        cancellation_reason: optionalString(ctx.params, 'cancellation_reason') ?? null,
      };
      store.save(intent);
      emitIntent(ctx, 'payment_intent.canceled', intent);
      return { ...intent.data };
    },
    ['cancellation_reason'],
  );

  sandbox.route('GET', '/v1/charges/:id', (ctx) =>
    renderCharge(find(ctx, 'charge', ctx.pathParams.id, 'charge')),
  );

  // ---- refunds

  sandbox.route(
    'POST',
    '/v1/refunds',
    (ctx) => {
      const intentId = optionalString(ctx.params, 'payment_intent');
      const chargeParam = optionalString(ctx.params, 'charge');
      const intent = intentId
        ? find<Data>(ctx, 'payment_intent', intentId, 'payment_intent', 'payment_intent')
        : undefined;
      const chargeId = chargeParam ?? (intent?.data.latest_charge as string | undefined);
      if (!chargeId) throw missingParam('payment_intent');
      const charge = find<Data>(ctx, 'charge', chargeId, 'charge', 'charge');
      if (!charge.data.captured)
        throw invalidRequest(
          'This charge has not been captured: cancel its PaymentIntent instead.',
          'payment_intent',
          'charge_not_refundable',
        );
      const currency = charge.data.currency as string;
      const remaining =
        (charge.data.amount_captured as number) - (charge.data.amount_refunded as number);
      const amount = readAmount(ctx.params, 'amount', currency, false) ?? remaining;
      if (amount > remaining) {
        throw invalidParam(
          'amount',
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
          'amount_too_large',
        );
      }
      const id = newId('re');
      const scope = charge.scope;
      ledger(scope, -amount, currency, 'refund', id, now());
      const ratio = amount / (charge.data.amount_captured as number);
      let reversal: string | null = null;
      if (optionalBoolean(ctx.params, 'reverse_transfer') && charge.data.transfer) {
        const transfer = store.get<Data>(charge.data.transfer as string)!;
        const back = Math.min(
          Math.round((transfer.data.amount as number) * ratio),
          (transfer.data.amount as number) - (transfer.data.amount_reversed as number),
        );
        reversal = reverseTransfer(ctx, transfer, back);
      }
      if (optionalBoolean(ctx.params, 'refund_application_fee') && charge.data.application_fee) {
        const fee = store.get<Data>(charge.data.application_fee as string)!;
        const back = Math.min(
          Math.round((fee.data.amount as number) * ratio),
          (fee.data.amount as number) - (fee.data.amount_refunded as number),
        );
        ledger(null, -back, currency, 'application_fee_refund', fee.id, now());
        ledger(fee.data.account as string, back, currency, 'application_fee_refund', fee.id, now());
        const refunded = (fee.data.amount_refunded as number) + back;
        fee.data = {
          ...fee.data,
          amount_refunded: refunded,
          refunded: refunded === fee.data.amount,
        };
        store.save(fee);
        sandbox.emit(
          'application_fee.refunded',
          { ...fee.data },
          { scope: null, request: request(ctx) },
        );
      }
      const refund = store.insert<Data>('refund', scope, id, {
        id,
        object: 'refund',
        amount,
        balance_transaction: null,
        charge: charge.id,
        created: now(),
        currency,
        metadata: applyMetadata({}, ctx.params),
        payment_intent: charge.data.payment_intent,
        reason: optionalString(ctx.params, 'reason') ?? null,
        receipt_number: null,
        source_transfer_reversal: null,
        status: 'succeeded',
        transfer_reversal: reversal,
      });
      const refundedTotal = (charge.data.amount_refunded as number) + amount;
      charge.data = {
        ...charge.data,
        amount_refunded: refundedTotal,
        refunded: refundedTotal === charge.data.amount_captured,
      };
      store.save(charge);
      sandbox.emit('refund.created', { ...refund.data }, { scope, request: request(ctx) });
      sandbox.emit('charge.refunded', renderCharge(charge), { scope, request: request(ctx) });
      return { ...refund.data };
    },
    [
      'payment_intent',
      'charge',
      'amount',
      'reason',
      'reverse_transfer',
      'refund_application_fee',
      'metadata',
    ],
  );

  sandbox.route('GET', '/v1/refunds/:id', (ctx) =>
    plain(find(ctx, 'refund', ctx.pathParams.id, 'refund')),
  );

  sandbox.route('GET', '/v1/application_fees/:id', (ctx) =>
    plain(find(ctx, 'application_fee', ctx.pathParams.id, 'application fee')),
  );

  // ---- transfers

  function renderTransfer(stored: StoredObject): Record<string, unknown> {
    const data = stored.data as Data;
    const reversals = store.list<Data>('transfer_reversal', (r) => r.data.transfer === stored.id);
    return {
      ...data,
      reversals: list(
        reversals.map((r) => ({ ...r.data })),
        `/v1/transfers/${stored.id}/reversals`,
      ),
    };
  }

  function reverseTransfer(
    ctx: RequestContext,
    transfer: StoredObject<Data>,
    amount: number,
  ): string {
    const currency = transfer.data.currency as string;
    const id = newId('trr');
    ledger(transfer.data.destination as string, -amount, currency, 'transfer_refund', id, now());
    ledger(null, amount, currency, 'transfer_refund', id, now());
    store.insert('transfer_reversal', null, id, {
      id,
      object: 'transfer_reversal',
      amount,
      balance_transaction: null,
      created: now(),
      currency,
      destination_payment_refund: null,
      metadata: {},
      source_refund: null,
      transfer: transfer.id,
    });
    const reversed = (transfer.data.amount_reversed as number) + amount;
    transfer.data = {
      ...transfer.data,
      amount_reversed: reversed,
      reversed: reversed === transfer.data.amount,
    };
    store.save(transfer);
    sandbox.emit('transfer.reversed', renderTransfer(transfer), {
      scope: null,
      request: request(ctx),
    });
    return id;
  }

  sandbox.route(
    'POST',
    '/v1/transfers',
    (ctx) => {
      if (ctx.scope !== null) throw invalidRequest('Transfers are made by the platform.');
      const currency = optionalString(ctx.params, 'currency')?.toLowerCase();
      if (!currency) throw missingParam('currency');
      const amount = readAmount(ctx.params, 'amount', currency, true)!;
      const destination = optionalString(ctx.params, 'destination');
      if (!destination) throw missingParam('destination');
      const account = accountOf(destination);
      if (!account) throw resourceMissing('account', destination, 'destination');
      const capabilities = (account.data.capabilities ?? {}) as Record<
        string,
        { requested: boolean }
      >;
      if (!capabilities.transfers?.requested && !capabilities.card_payments?.requested) {
        throw invalidParam(
          'destination',
          'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
          'insufficient_capabilities_for_transfer',
        );
      }
      let availableOn = now();
      const source = optionalString(ctx.params, 'source_transaction');
      if (source) {
        const charge = find<Data>(ctx, 'charge', source, 'charge', 'source_transaction');
        const txn = store.get<Data>(charge.data.balance_transaction as string);
        availableOn = (txn?.data.available_on as number | undefined) ?? now();
        if (amount > (charge.data.amount_captured as number))
          throw invalidParam('amount', 'amount exceeds the source transaction', 'amount_too_large');
      } else if (availableIn(null, currency) < amount) {
        throw invalidRequest(
          'You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.',
          undefined,
          'balance_insufficient',
        );
      }
      const id = newId('tr');
      const payment = newId('py');
      const transfer = store.insert<Data>('transfer', null, id, {
        id,
        object: 'transfer',
        amount,
        amount_reversed: 0,
        balance_transaction: ledger(null, -amount, currency, 'transfer', id, availableOn),
        created: now(),
        currency,
        description: optionalString(ctx.params, 'description') ?? null,
        destination,
        destination_payment: payment,
        livemode: false,
        metadata: applyMetadata({}, ctx.params),
        reversed: false,
        source_transaction: source ?? null,
        source_type: 'card',
        transfer_group: optionalString(ctx.params, 'transfer_group') ?? null,
      });
      ledger(destination, amount, currency, 'payment', payment, availableOn);
      const body = renderTransfer(transfer);
      sandbox.emit('transfer.created', body, { scope: null, request: request(ctx) });
      return body;
    },
    [
      'amount',
      'currency',
      'destination',
      'transfer_group',
      'source_transaction',
      'description',
      'metadata',
      'source_type',
    ],
  );

  sandbox.route('GET', '/v1/transfers/:id', (ctx) =>
    renderTransfer(find(ctx, 'transfer', ctx.pathParams.id, 'transfer')),
  );

  sandbox.route(
    'POST',
    '/v1/transfers/:id/reversals',
    (ctx) => {
      const transfer = find<Data>(ctx, 'transfer', ctx.pathParams.id, 'transfer');
      const remaining =
        (transfer.data.amount as number) - (transfer.data.amount_reversed as number);
      const amount =
        readAmount(ctx.params, 'amount', transfer.data.currency as string, false) ?? remaining;
      if (amount > remaining)
        throw invalidParam(
          'amount',
          `Reversal amount (${amount}) is greater than what remains of the transfer (${remaining})`,
          'amount_too_large',
        );
      const id = reverseTransfer(ctx, transfer, amount);
      return { ...store.get<Data>(id)!.data };
    },
    ['amount', 'description', 'metadata', 'refund_application_fee'],
  );

  // ---- payouts

  const settlePayout = (id: string, final: boolean) => {
    const payout = store.get<Data>(id);
    if (!payout || !['pending', 'in_transit'].includes(payout.data.status as string)) return;
    if (!final) {
      payout.data = { ...payout.data, status: 'in_transit' };
      store.save(payout);
      sandbox.emit(
        'payout.updated',
        { ...payout.data },
        { scope: payout.scope, previousAttributes: { status: 'pending' } },
      );
      return;
    }
    const bank = store.get<Data>(payout.data.destination as string);
    const failure = bank?.data.payout_failure_code as string | null | undefined;
    const previous = payout.data.status;
    if (failure) {
      ledger(
        payout.scope,
        payout.data.amount as number,
        payout.data.currency as string,
        'payout_failure',
        id,
        now(),
      );
      payout.data = {
        ...payout.data,
        status: 'failed',
        failure_code: failure,
        failure_message: `The payout failed: ${failure.replace(/_/g, ' ')}.`,
      };
      store.save(payout);
      if (bank) {
        bank.data = { ...bank.data, status: 'errored' };
        store.save(bank);
        const { payout_failure_code: _f, instant_payouts: _i, ...visible } = bank.data;
        sandbox.emit(
          'account.external_account.updated',
          { ...visible, bank_name: 'STRIPE TEST BANK' },
          { scope: payout.scope, previousAttributes: { status: 'new' } },
        );
      }
      sandbox.emit(
        'payout.failed',
        { ...payout.data },
        { scope: payout.scope, previousAttributes: { status: previous } },
      );
      return;
    }
    payout.data = { ...payout.data, status: 'paid' };
    store.save(payout);
    sandbox.emit(
      'payout.paid',
      { ...payout.data },
      { scope: payout.scope, previousAttributes: { status: previous } },
    );
  };
  sandbox.onTask('payout_in_transit', (task) => settlePayout(String(task.payload.payout), false));
  sandbox.onTask('payout_arrival', (task) => settlePayout(String(task.payload.payout), true));

  sandbox.route(
    'POST',
    '/v1/payouts',
    (ctx) => {
      const currency = optionalString(ctx.params, 'currency')?.toLowerCase();
      if (!currency) throw missingParam('currency');
      const amount = readAmount(
        ctx.params,
        'payout_amount' in ctx.params ? 'payout_amount' : 'amount',
        currency,
        true,
      )!;
      if (['huf', 'isk', 'twd'].includes(currency) && amount % 100 !== 0)
        throw invalidParam(
          'amount',
          `Payouts in ${currency} must be whole units`,
          'invalid_amount',
        );
      const method = optionalString(ctx.params, 'method') ?? 'standard';
      if (method !== 'standard' && method !== 'instant')
        throw invalidParam('method', 'Invalid method: must be standard or instant');
      const banks = store.list<Data>(
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
      if (availableIn(ctx.scope, currency) < amount) {
        throw invalidRequest(
          'You have insufficient funds in your Stripe account for this transfer. Your card balance is too low.',
          'amount',
          'balance_insufficient',
        );
      }
      const id = newId('po');
      const arrival = method === 'instant' ? now() + 1800 : now() + PENDING_SECONDS;
      const payout = store.insert<Data>('payout', ctx.scope, id, {
        id,
        object: 'payout',
        amount,
        application_fee: null,
        application_fee_amount: null,
        arrival_date: arrival,
        automatic: false,
        balance_transaction: ledger(ctx.scope, -amount, currency, 'payout', id, now()),
        created: now(),
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
        sandbox.scheduleTask('payout_in_transit', now() + 86_400, { payout: id });
      sandbox.scheduleTask('payout_arrival', arrival, { payout: id });
      sandbox.emit(
        'payout.created',
        { ...payout.data },
        { scope: ctx.scope, request: request(ctx) },
      );
      return { ...payout.data };
    },
    [
      'amount',
      'currency',
      'destination',
      'method',
      'statement_descriptor',
      'description',
      'metadata',
      'source_type',
    ],
  );

  sandbox.route('GET', '/v1/payouts/:id', (ctx) =>
    plain(find(ctx, 'payout', ctx.pathParams.id, 'payout')),
  );

  for (const [path, kind, noun] of [
    ['/v1/payment_intents', 'payment_intent', 'payment_intent'],
    ['/v1/charges', 'charge', 'charge'],
    ['/v1/refunds', 'refund', 'refund'],
    ['/v1/transfers', 'transfer', 'transfer'],
    ['/v1/payouts', 'payout', 'payout'],
    ['/v1/application_fees', 'application_fee', 'application fee'],
    ['/v1/balance_transactions', 'balance_transaction', 'balance transaction'],
  ] as const) {
    sandbox.route(
      'GET',
      path,
      (ctx) => {
        const items = store.list<Data>(
          kind,
          (o) =>
            o.scope === ctx.scope &&
            matchesRange(o.data.created as number, ctx.params.created, 'created'),
        );
        return paginate(
          ctx.params,
          items,
          (o) =>
            kind === 'charge'
              ? renderCharge(o)
              : kind === 'transfer'
                ? renderTransfer(o)
                : plain(o),
          path,
          noun,
        );
      },
      [
        'limit',
        'starting_after',
        'ending_before',
        'created',
        'customer',
        'payment_intent',
        'destination',
        'status',
        'transfer_group',
        'charge',
        'type',
      ],
    );
  }
}
