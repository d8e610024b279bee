/**
 * The offline Stripe sandbox for a platform's own tests: started in the test process on 127.0.0.1, with the
 * options that point `StripeConnectModule` at it, and what tests do to it (deliver its events to the app,
 * advance its clock, inject faults).
 */
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import Stripe from 'stripe';
import {
  DEFAULT_WEBHOOK_PATHS,
  type StripeConnectModuleOptions,
  type WebhookPaths,
} from '../stripe-connect/index.js';
import { StripeSandbox } from '../stripe-sandbox/index.js';
import { baseUrlOf, deliverStripeEvent, type DeliveryResult } from './stripe-test-events.js';

/** A failure the sandbox answers instead of Stripe's: the next `count` requests to `path` fail. */
export type SandboxFault = Parameters<StripeSandbox['injectFault']>[0];

export interface TestStripeSandboxOptions {
  /** Port on 127.0.0.1; default 0, a free one. */
  port?: number;
  /** A journal file keeping the sandbox's state across restarts; in memory by default. */
  stateFile?: string;
  /** Any `sk_test_…` key; default `sk_test_nest_stripe_connect_sandbox`. */
  secretKey?: string;
  /** Signing secrets of the app's two endpoints; default random ones. */
  webhookSecret?: string;
  connectWebhookSecret?: string;
  /** Where the sandbox reports each request and delivery; silent by default. */
  log?: (line: string) => void;
}

const DAY = 86_400;

export class TestStripeSandbox {
  /** The official SDK pointed at the sandbox, as the platform (no retries, so faults are seen). */
  readonly stripe: Stripe;

  private constructor(
    /** The sandbox itself. */
    readonly sandbox: StripeSandbox,
    readonly secretKey: string,
    readonly webhookSecret: string,
    readonly connectWebhookSecret: string,
  ) {
    this.stripe = new Stripe(secretKey, {
      host: '127.0.0.1',
      port: sandbox.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
  }

  /** Starts a sandbox in this process, listening on 127.0.0.1. Close it after the tests. */
  static async start(options: TestStripeSandboxOptions = {}): Promise<TestStripeSandbox> {
    const sandbox = await StripeSandbox.start({
      port: options.port ?? 0,
      stateFile: options.stateFile,
      log: options.log,
    });
    return new TestStripeSandbox(
      sandbox,
      options.secretKey ?? 'sk_test_nest_stripe_connect_sandbox',
      options.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`,
      options.connectWebhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`,
    );
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.sandbox.url;
  }

  /**
   * Options for `StripeConnectModule.forRoot` (or the `useFactory` of `forRootAsync`) that point the module
   * at this sandbox, merged with `extra` (`getUser`, `publicUrl`, …).
   */
  moduleOptions(extra: Partial<StripeConnectModuleOptions> = {}): StripeConnectModuleOptions {
    return {
      secretKey: this.secretKey,
      apiBase: this.url,
      webhookSecrets: [this.webhookSecret],
      connectWebhookSecrets: [this.connectWebhookSecret],
      maxNetworkRetries: 0,
      ...extra,
    };
  }

  /**
   * Sends the sandbox's events, signed, to the app's two webhook endpoints (`paths` when you moved them).
   * The app must listen (`await app.listen(0)`).
   */
  deliverWebhooksTo(app: INestApplication | string, paths: Partial<WebhookPaths> = {}): void {
    const base = baseUrlOf(app);
    const { platform, connect } = { ...DEFAULT_WEBHOOK_PATHS, ...paths };
    this.sandbox.webhooks.configure([
      { url: `${base}${platform}`, secret: this.webhookSecret, connect: false },
      { url: `${base}${connect}`, secret: this.connectWebhookSecret, connect: true },
    ]);
  }

  /**
   * Posts an event of your own to the app, signed with the secret of the endpoint it goes to (the Connect
   * endpoint when the event has `account`).
   */
  deliver(
    app: INestApplication | string,
    event: Stripe.Event,
    options: { path?: string; timestamp?: number } = {},
  ): Promise<DeliveryResult> {
    const secret = event.account ? this.connectWebhookSecret : this.webhookSecret;
    return deliverStripeEvent(app, event, { ...options, secret });
  }

  /** The sandbox clock, unix seconds. */
  now(): number {
    return this.sandbox.clock.now();
  }

  /**
   * Moves the sandbox clock forward, runs everything that falls due (pending funds becoming available, payouts
   * in transit then paid or failed, verification deadlines, webhook retries) and waits until the resulting
   * events are delivered and answered. Answers the new time.
   */
  advanceClock(seconds: number): Promise<number> {
    return this.sandbox.advanceClock(seconds);
  }

  /** `advanceClock` by whole days. */
  advanceDays(days: number): Promise<number> {
    return this.advanceClock(days * DAY);
  }

  /** Waits until every webhook delivery under way has been answered. */
  settled(): Promise<void> {
    return this.sandbox.webhooks.idle();
  }

  /**
   * The next `count` (default 1) requests matching `path` (and `method`) answer `status` (429 or 5xx), or with
   * `after: true` do their work and then lose the answer.
   */
  injectFault(fault: Omit<SandboxFault, 'count'> & { count?: number }): void {
    this.sandbox.injectFault({ ...fault, count: fault.count ?? 1 });
  }

  /**
   * Completes a hosted onboarding link (Express or Standard) as a user would: the sandbox's page fills the
   * account with Stripe's test values. Answers where the browser is sent (the link's `return_url`).
   */
  async completeOnboarding(accountLinkUrl: string): Promise<string> {
    const response = await fetch(accountLinkUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`The onboarding link answered ${response.status}, not a redirect`);
    }
    await this.settled();
    return location;
  }

  /** Stops the sandbox after the deliveries under way. */
  close(): Promise<void> {
    return this.sandbox.close();
  }
}
