/** Sandbox mode: the app starts the sandbox in-process and receives its events, signed, on its two endpoints. */
import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { STRIPE_CLIENT, StripeConnectPublic } from '../src/stripe-connect/index.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const received: { path: string; event: Stripe.Event }[] = [];
const verifier = new Stripe('sk_test_verifier');

/** Stands where the library's webhook endpoints will be, verifying each delivery with the app's secrets. */
@Controller('stripe/webhooks')
@StripeConnectPublic()
class WebhookProbeController {
  @Post()
  @HttpCode(200)
  platform(
    @Req() req: Request & { rawBody?: Buffer },
    @Headers('stripe-signature') signature: string,
  ): void {
    received.push({
      path: 'platform',
      event: verifier.webhooks.constructEvent(
        req.rawBody!,
        signature,
        'whsec_test_platform_endpoint',
      ),
    });
  }

  @Post('connect')
  @HttpCode(200)
  connect(
    @Req() req: Request & { rawBody?: Buffer },
    @Headers('stripe-signature') signature: string,
  ): void {
    received.push({
      path: 'connect',
      event: verifier.webhooks.constructEvent(
        req.rawBody!,
        signature,
        'whsec_test_connect_endpoint',
      ),
    });
  }
}

describe('the embedded sandbox', () => {
  let t: TestApp;
  let stripe: Stripe;
  let clock: SandboxClient;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox', controllers: [WebhookProbeController] });
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
  });
  afterAll(() => t.close());

  it('is what the library’s Stripe client talks to', async () => {
    const url = new URL(t.app.get(EmbeddedSandbox).url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(stripe.getApiField('port')).toBe(Number(url.port));
    await expect(stripe.customers.create({ email: 'first@example.com' })).resolves.toMatchObject({
      object: 'customer',
    });
  });

  it('delivers platform events to /stripe/webhooks and Connect events to /stripe/webhooks/connect, signed with their secrets', async () => {
    received.length = 0;
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      capabilities: { transfers: { requested: true } },
    });
    await clock.advance(0);
    const platform = received.filter((r) => r.path === 'platform').map((r) => r.event);
    const connect = received.filter((r) => r.path === 'connect').map((r) => r.event);
    expect(
      platform.filter((e) => e.type === 'customer.created' && e.data.object.id === customer.id),
    ).toHaveLength(1);
    expect(platform.every((e) => e.account === undefined)).toBe(true);
    expect(connect.map((e) => [e.type, e.account])).toEqual([['capability.updated', account.id]]);
  });
});
