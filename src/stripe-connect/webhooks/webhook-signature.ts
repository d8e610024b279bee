/**
 * Verifies a webhook delivery and says exactly why one is refused, from the structure of what arrived, never
 * from the wording of an SDK message: no header; a header without a timestamp or a `v1` signature; no secret
 * of the endpoint producing any of its signatures (Stripe's scheme: HMAC-SHA256 of `<timestamp>.<raw body>`
 * in lower-case hex, compared in constant time, as the SDK's `verifyHeader` does, over the raw bytes); a
 * timestamp older than the tolerance; a signed body that is not JSON, or not an event.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import {
  InvalidWebhookPayloadError,
  WebhookSignatureError,
} from '../common/stripe-connect.errors.js';

/** `t=…,v1=…[,v1=…][,v0=…]` → its timestamp and v1 signatures, or null when it has not both. */
export function parseSignatureHeader(
  header: string,
): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at < 0) continue;
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  return timestamp !== null && signatures.length ? { timestamp, signatures } : null;
}

/** The event id of a body, when one can be read (for the log of a refused delivery), else null. */
export function readableEventId(rawBody: Buffer): string | null {
  const match = /"id"\s*:\s*"(evt_[A-Za-z0-9_]{1,100})"/.exec(
    rawBody.subarray(0, 4096).toString('utf8'),
  );
  return match ? match[1] : null;
}

/** The latest `created` an event may carry (the end of year 9999, in seconds): a date every store holds. */
const LATEST_CREATED = 253_402_300_799;

/** Absent, null, or a string of at most `max` characters. */
function optionalText(value: unknown, max: number): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.length <= max)
  );
}

/**
 * An event as the store takes it: each attribute the event row keeps (id, type, account, api version,
 * `created`, `livemode`) of Stripe's kind and within its column, so that one signed but malformed event is
 * refused alone instead of failing the group commit it would share with other deliveries.
 */
function isEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const event = value as Record<string, unknown>;
  const data = event.data as Record<string, unknown> | undefined;
  return (
    typeof event.id === 'string' &&
    /^evt_\w{1,251}$/.test(event.id) &&
    typeof event.type === 'string' &&
    event.type.length > 0 &&
    event.type.length <= 128 &&
    Number.isSafeInteger(event.created) &&
    (event.created as number) >= 0 &&
    (event.created as number) <= LATEST_CREATED &&
    typeof event.livemode === 'boolean' &&
    optionalText(event.account, 255) &&
    optionalText(event.api_version, 64) &&
    typeof data === 'object' &&
    data !== null &&
    typeof data.object === 'object' &&
    data.object !== null
  );
}

/** True when one of the header's `v1` signatures is the HMAC of `<timestamp>.<body>` under one of the secrets. */
function signedByAny(
  secrets: readonly string[],
  parsed: { timestamp: number; signatures: string[] },
  rawBody: Buffer,
): boolean {
  const prefix = `${parsed.timestamp}.`;
  return secrets.some((secret) => {
    const expected = Buffer.from(
      createHmac('sha256', secret).update(prefix).update(rawBody).digest('hex'),
    );
    return parsed.signatures.some((signature) => {
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  });
}

/** Verifies `rawBody` against the endpoint's secrets; throws a classified 400 error, else the event. */
export function verifyStripeWebhook(
  secrets: readonly string[],
  rawBody: Buffer,
  header: string | undefined,
  toleranceSeconds: number,
  now = Date.now(),
): Stripe.Event {
  if (!header)
    throw new WebhookSignatureError('Missing Stripe-Signature header', 'missing_signature');
  const parsed = parseSignatureHeader(header);
  if (!parsed)
    throw new WebhookSignatureError(
      'The Stripe-Signature header has no timestamp or no v1 signature',
      'malformed_signature',
    );
  if (rawBody.length === 0) throw new InvalidWebhookPayloadError('The body is empty', 'empty_body');
  if (!signedByAny(secrets, parsed, rawBody))
    throw new WebhookSignatureError(
      'No signature matches any signing secret of this endpoint',
      'no_matching_signature',
    );
  if (Math.floor(now / 1000) - parsed.timestamp > toleranceSeconds)
    throw new WebhookSignatureError(
      `The signature timestamp is more than ${toleranceSeconds} seconds old`,
      'stale_timestamp',
    );
  const text = rawBody.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidWebhookPayloadError('The body is not JSON', 'not_json');
  }
  if (!isEvent(body))
    throw new InvalidWebhookPayloadError('The body is not a Stripe event', 'not_an_event');
  verifiedText.set(body, text);
  return body;
}

/** The JSON text each verified event was parsed from (until the event is collected). */
const verifiedText = new WeakMap<object, string>();

/**
 * The event as JSON text, for storing it: the verified body's own text when `event` is what it parsed to
 * (the same document; no second serialization), else the event serialized.
 */
export function eventJsonText(event: Stripe.Event): string {
  return verifiedText.get(event) ?? JSON.stringify(event);
}
