/** Stripe events for a test: built as Stripe sends them, signed with the SDK's own helper, posted to an app. */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import Stripe from 'stripe';
import { DEFAULT_WEBHOOK_PATHS } from '../stripe-connect/index.js';

/** The API version of the events (the one the `stripe` package pins). */
export const TEST_EVENT_API_VERSION = '2026-10-28.endive';

const signer = new Stripe('sk_test_signer_of_test_events');

/**
 * A Stripe event of `type` about `object`, shaped as Stripe sends it. `account` makes it a connected
 * account's event (delivered to the Connect endpoint).
 */
export function stripeEvent(
  type: string,
  object: object,
  options: { account?: string; created?: number; id?: string; previousAttributes?: object } = {},
): Stripe.Event {
  return {
    id: options.id ?? `evt_test_${randomBytes(12).toString('hex')}`,
    object: 'event',
    ...(options.account ? { account: options.account } : {}),
    api_version: TEST_EVENT_API_VERSION,
    created: options.created ?? Math.floor(Date.now() / 1000),
    data: {
      object,
      ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
}

/** A `Stripe-Signature` header for `payload`, made by `stripe.webhooks.generateTestHeaderString`. */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** The base URL (`http://127.0.0.1:<port>`) of a Nest app that listens, or the URL given. */
export function baseUrlOf(target: INestApplication | string): string {
  if (typeof target === 'string') return target.replace(/\/$/, '');
  const address = (target.getHttpServer() as Server).address() as AddressInfo | null;
  if (!address) throw new Error('The app does not listen: call `await app.listen(0)` first');
  return `http://127.0.0.1:${address.port}`;
}

export interface DeliveryOptions {
  /** Signing secret of the endpoint. */
  secret: string;
  /** Path of the endpoint; default `/stripe/webhooks`, or `/stripe/webhooks/connect` for an event with `account`. */
  path?: string;
  /** Signature timestamp, unix seconds (default now): an old one tests the tolerance. */
  timestamp?: number;
  /** A signature of your own (a wrong one tests the refusal). */
  signature?: string;
}

export interface DeliveryResult {
  status: number;
  body: unknown;
}

/** Posts an event (or any raw body) to the app's webhook endpoint, signed as Stripe signs it. */
export async function deliverStripeEvent(
  target: INestApplication | string,
  event: Stripe.Event | string,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const payload = typeof event === 'string' ? event : JSON.stringify(event, null, 2);
  const connect = typeof event !== 'string' && Boolean(event.account);
  const path =
    options.path ?? (connect ? DEFAULT_WEBHOOK_PATHS.connect : DEFAULT_WEBHOOK_PATHS.platform);
  const response = await fetch(`${baseUrlOf(target)}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Stripe-Signature':
        options.signature ?? signStripePayload(payload, options.secret, options.timestamp),
    },
    body: payload,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}
