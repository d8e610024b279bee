import type { Request } from 'express';
import type {
  ResolvedWebhookProcessing,
  WebhookProcessingOptions,
} from './webhooks/queue/webhook-processing.options.js';

/** The caller of a library route, as the host's authentication identified them. */
export interface StripeConnectUser {
  /** The platform's user id. */
  id: string;
  /** True for the platform's own back office, which may act on every account and move money. */
  platform: boolean;
}

export interface StripeConnectModuleOptions {
  /** Stripe secret or restricted key (`sk_…`/`rk_…`). Required unless `withoutStripe` is set. */
  secretKey?: string;
  /** Base URL of the Stripe API; default `https://api.stripe.com`. Any Stripe-compatible server works. */
  apiBase?: string;
  /** Signing secrets of the platform webhook endpoint (several during a rotation). Required with a key. */
  webhookSecrets?: string[];
  /** Signing secrets of the Connect webhook endpoint (several during a rotation). Required with a key. */
  connectWebhookSecrets?: string[];
  /** Retries of a failed network request by the SDK, with the same idempotency key; default 2. */
  maxNetworkRetries?: number;
  /** Timeout of one Stripe request in milliseconds; default 80 000 (the SDK's). */
  timeoutMs?: number;
  /**
   * Start without Stripe: every route or service call that needs Stripe fails with `StripeUnavailableError`
   * (HTTP 503) carrying this reason. Routes that only read the local mirror keep working.
   */
  withoutStripe?: { reason: string };
  /**
   * The app's public base URL (e.g. `https://market.example.com`): where Stripe sends browsers back to the
   * library's routes (Account Link refresh and return, the OAuth callback). Required for hosted onboarding.
   */
  publicUrl?: string;
  /** Where the return and OAuth callback routes send the browser when done (JSON answers when absent). */
  onboardingReturnUrl?: string;
  /** The platform's OAuth client id (`ca_…`): Standard accounts through OAuth, and deauthorization. */
  oauthClientId?: string;
  /** Secret that signs the `state` of browser-facing routes; default: derived from `secretKey`. */
  stateSecret?: string;
  /**
   * Who is calling, from the request. Default: `{ id: req.user.sub, platform: req.user.role === 'platform' }`
   * (a bearer JWT verified by the host's guard), or no user when `req.user` is absent.
   */
  getUser?: (request: Request) => StripeConnectUser | undefined | null;
  /**
   * Rate limit of the routes that mint onboarding links, login links and OAuth states or create accounts:
   * `limit` requests per `ttlMs` per route and caller (user, or IP when anonymous); default 30 per minute.
   * `false` switches it off (a host that limits upstream).
   */
  rateLimit?: { limit?: number; ttlMs?: number } | false;
  /** Security headers (helmet) on the library's routes; default true. */
  securityHeaders?: boolean;
  /**
   * How verified webhook events are processed: `{ mode: 'inline' }` (default: before the delivery is
   * answered) or `{ mode: 'queued', …tuning }` (answered once stored; workers on every instance process it
   * through pg-boss; PostgreSQL only, refused at start on PGlite). See the README's "Queued mode".
   */
  webhookProcessing?: WebhookProcessingOptions;
  /**
   * Where the two webhook routes take their deliveries. `'server'` (default): on the HTTP server, before Express
   * (the library reads the body with `webhookBodyLimit`, verifies and answers it; the host's middleware, global
   * guards and interceptors do not see deliveries, and Express does no work for them). `'express'`: through
   * Express, the host's body parser (its size limit) and middleware, then the library's middleware. See the
   * README's "How a delivery reaches the library".
   */
  webhookIntake?: 'server' | 'express';
  /** Largest webhook body the `'server'` intake reads, in bytes (413 above); default 102 400 (100 kB). */
  webhookBodyLimit?: number;
}

/** The options after validation, with defaults applied. */
export interface ResolvedStripeConnectOptions {
  stripe:
    | {
        available: true;
        secretKey: string;
        apiBase: URL;
        webhookSecrets: string[];
        connectWebhookSecrets: string[];
        maxNetworkRetries: number;
        timeoutMs: number;
      }
    | { available: false; reason: string };
  getUser: (request: Request) => StripeConnectUser | undefined;
  /** Null when switched off. */
  rateLimit: { limit: number; ttlMs: number } | null;
  securityHeaders: boolean;
  webhookProcessing: ResolvedWebhookProcessing;
  webhookIntake: 'server' | 'express';
  webhookBodyLimit: number;
  onboarding: {
    publicUrl: URL | null;
    returnUrl: URL | null;
    oauthClientId: string | null;
    stateSecret: string;
  };
}
