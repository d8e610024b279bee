/**
 * Stripe objects the sandbox does not serve yet (its money and onboarding steps come later), written by the
 * project to the `stripe` package's types for webhook payloads.
 */
import type Stripe from 'stripe';

const NOW = 1_795_000_000;

function list<T>(data: T[], url: string): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: false, url };
}

export function paymentIntentOf(
  overrides: Partial<Stripe.PaymentIntent> & { id: string },
): Stripe.PaymentIntent {
  const base: Stripe.PaymentIntent = {
    id: overrides.id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: 2000,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: null,
    confirmation_method: 'automatic',
    created: NOW,
    currency: 'usd',
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
  };
  return { ...base, ...overrides };
}

export function refundOf(overrides: Partial<Stripe.Refund> & { id: string }): Stripe.Refund {
  const base: Stripe.Refund = {
    id: overrides.id,
    object: 'refund',
    amount: 500,
    balance_transaction: null,
    charge: null,
    created: NOW,
    currency: 'usd',
    customer: null,
    customer_account: null,
    metadata: {},
    payment_intent: null,
    payment_method: null,
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  return { ...base, ...overrides };
}

export function chargeOf(overrides: Partial<Stripe.Charge> & { id: string }): Stripe.Charge {
  const base: Stripe.Charge = {
    id: overrides.id,
    object: 'charge',
    amount: 2000,
    amount_captured: 2000,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: null,
    captured: true,
    created: NOW,
    currency: 'usd',
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: null,
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: null,
    payment_method: null,
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: list([], '/v1/charges/ch/refunds'),
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
  return { ...base, ...overrides };
}

export function transferOf(
  overrides: Partial<Stripe.Transfer> & { id: string; destination: string },
): Stripe.Transfer {
  const base: Stripe.Transfer = {
    id: overrides.id,
    object: 'transfer',
    amount: 1500,
    amount_reversed: 0,
    balance_transaction: null,
    created: NOW,
    currency: 'usd',
    description: null,
    destination: overrides.destination,
    livemode: false,
    metadata: {},
    reversals: list([], `/v1/transfers/${overrides.id}/reversals`),
    reversed: false,
    source_transaction: null,
    transfer_group: null,
  };
  return { ...base, ...overrides };
}

export function reversalOf(
  overrides: Partial<Stripe.TransferReversal> & { id: string; transfer: string },
): Stripe.TransferReversal {
  const base: Stripe.TransferReversal = {
    id: overrides.id,
    object: 'transfer_reversal',
    amount: 500,
    balance_transaction: null,
    created: NOW,
    currency: 'usd',
    destination_payment_refund: null,
    metadata: {},
    source_refund: null,
    transfer: overrides.transfer,
  };
  return { ...base, ...overrides };
}

export function applicationFeeOf(
  overrides: Partial<Stripe.ApplicationFee> & { id: string; account: string; charge: string },
): Stripe.ApplicationFee {
  const base: Stripe.ApplicationFee = {
    id: overrides.id,
    object: 'application_fee',
    account: overrides.account,
    amount: 200,
    amount_refunded: 0,
    application: 'ca_test_platform',
    balance_transaction: null,
    charge: overrides.charge,
    created: NOW,
    currency: 'usd',
    fee_source: null,
    livemode: false,
    originating_transaction: null,
    refunded: false,
    refunds: list([], `/v1/application_fees/${overrides.id}/refunds`),
  };
  return { ...base, ...overrides };
}

export function disputeOf(
  overrides: Partial<Stripe.Dispute> & { id: string; charge: string },
): Stripe.Dispute {
  const base: Stripe.Dispute = {
    id: overrides.id,
    object: 'dispute',
    amount: 2000,
    balance_transactions: [],
    charge: overrides.charge,
    created: NOW,
    currency: 'usd',
    enhanced_eligibility_types: [],
    // Evidence is not read by the library; its many fields are left out.
    evidence: {} as Stripe.Dispute.Evidence,
    evidence_details: {} as Stripe.Dispute.EvidenceDetails,
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: null,
    reason: 'fraudulent',
    status: 'needs_response',
  };
  return { ...base, ...overrides };
}

export function personOf(
  overrides: Partial<Stripe.Person> & { id: string; account: string },
): Stripe.Person {
  const base: Stripe.Person = {
    id: overrides.id,
    object: 'person',
    account: overrides.account,
    created: NOW,
    first_name: 'Rita',
    last_name: 'Representative',
    email: 'rita@example.com',
    relationship: {
      authorizer: null,
      director: false,
      executive: true,
      legal_guardian: null,
      owner: false,
      percent_ownership: null,
      representative: true,
      title: 'CEO',
    },
  };
  return { ...base, ...overrides };
}
