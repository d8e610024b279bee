/** Stripe events as the project writes them to the `stripe` package's types, signed for real. */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import Stripe from 'stripe';

const signer = new Stripe('sk_test_signer');

/** Events as Stripe sends them: the testing entry's own builder, so the suite and users' tests share one. */
export { stripeEvent as eventOf } from '../../src/stripe-connect-testing/stripe-test-events.js';

/** Posts an event to an endpoint with a `Stripe-Signature` made by the SDK's own helper. */
export function deliver(
  app: INestApplication,
  path: string,
  event: Stripe.Event | string,
  secret: string,
  options: { timestamp?: number; signature?: string | null; body?: string } = {},
): request.Test {
  const payload = typeof event === 'string' ? event : JSON.stringify(event);
  const signature =
    options.signature !== undefined
      ? options.signature
      : signer.webhooks.generateTestHeaderString({ payload, secret, timestamp: options.timestamp });
  const call = request(app.getHttpServer()).post(path).set('Content-Type', 'application/json');
  if (signature !== null) call.set('Stripe-Signature', signature);
  return call.send(options.body ?? payload);
}

export function payoutOf(overrides: Partial<Stripe.Payout> & { id: string }): Stripe.Payout {
  const base: Stripe.Payout = {
    id: overrides.id,
    object: 'payout',
    amount: 1000,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: 1_800_000_000,
    automatic: false,
    balance_transaction: null,
    created: 1_795_000_000,
    currency: 'usd',
    description: null,
    destination: 'ba_test',
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'not_applicable',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'pending',
    trace_id: null,
    type: 'bank_account',
  };
  return { ...base, ...overrides };
}
