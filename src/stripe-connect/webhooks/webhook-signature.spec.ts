import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../common/stripe-connect.errors.js';
import { eventJsonText, verifyStripeWebhook } from './webhook-signature.js';

const sdk = new Stripe('sk_test_signature_spec');
const now = Date.now();
const timestamp = Math.floor(now / 1000);

/** A Stripe-Signature header made by the SDK's own helper (the oracle of Stripe's scheme). */
function signed(payload: string, secret: string): string {
  return sdk.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

const body = JSON.stringify({
  id: 'evt_signature_spec',
  object: 'event',
  type: 'customer.updated',
  created: timestamp,
  livemode: false,
  data: { object: { id: 'cus_1', object: 'customer', name: 'Zoë Łukasz 東京 🚀' } },
});
const raw = Buffer.from(body);

function reason(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('verifyStripeWebhook', () => {
  it('accepts what the SDK signs, over multi-byte UTF-8, under any secret of a rotation', () => {
    const header = signed(body, 'whsec_new');
    for (const secrets of [['whsec_new'], ['whsec_old', 'whsec_new']]) {
      const event = verifyStripeWebhook(secrets, raw, header, 300, now);
      expect(event.id).toBe('evt_signature_spec');
      expect(eventJsonText(event)).toBe(body);
    }
  });

  it('accepts a header whose second v1 matches, and ignores v0', () => {
    const good = /v1=([0-9a-f]+)/.exec(signed(body, 'whsec_a'))![1];
    const header = `t=${timestamp},v1=${'0'.repeat(64)},v0=${good},v1=${good}`;
    expect(verifyStripeWebhook(['whsec_a'], raw, header, 300, now).id).toBe('evt_signature_spec');
  });

  it('refuses another secret, a changed byte, a v0-only or upper-case signature, another timestamp', () => {
    const header = signed(body, 'whsec_a');
    const v1 = /v1=([0-9a-f]+)/.exec(header)![1];
    const changed = Buffer.from(body.replace('Zoë', 'Zoe'));
    expect(reason(() => verifyStripeWebhook(['whsec_b'], raw, header, 300, now))).toBe(
      'no_matching_signature',
    );
    expect(reason(() => verifyStripeWebhook(['whsec_a'], changed, header, 300, now))).toBe(
      'no_matching_signature',
    );
    expect(
      reason(() => verifyStripeWebhook(['whsec_a'], raw, `t=${timestamp},v0=${v1}`, 300, now)),
    ).toBe('malformed_signature');
    expect(
      reason(() =>
        verifyStripeWebhook(['whsec_a'], raw, `t=${timestamp},v1=${v1.toUpperCase()}`, 300, now),
      ),
    ).toBe('no_matching_signature');
    expect(
      reason(() => verifyStripeWebhook(['whsec_a'], raw, `t=${timestamp - 1},v1=${v1}`, 300, now)),
    ).toBe('no_matching_signature');
  });

  it('serializes an event it did not parse', () => {
    const event = JSON.parse(body) as Stripe.Event;
    expect(eventJsonText(event)).toBe(JSON.stringify(event));
  });
});
