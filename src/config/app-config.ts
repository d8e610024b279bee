/**
 * The host app's configuration, read from the environment once at boot (DESIGN.md section 2). Every problem
 * is reported at once, each naming its variable; the library itself never reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { WebhookProcessingOptions } from '../stripe-connect/index.js';

export const DEVELOPMENT_JWT_SECRET = 'nest-stripe-connect-development-secret-not-for-production';

export type DatabaseConfig =
  { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export type StripeConfig =
  | {
      kind: 'stripe';
      secretKey: string;
      apiBase: string;
      webhookSecrets: string[];
      connectWebhookSecrets: string[];
    }
  | {
      /** No STRIPE_SECRET_KEY: the Stripe sandbox runs in-process and the app talks to it. */
      kind: 'sandbox';
      secretKey: string;
      webhookSecrets: string[];
      connectWebhookSecrets: string[];
      /** The sandbox's journal, in the data folder, so a restart keeps it and the database in step. */
      stateFile: string;
    }
  /** Stripe switched off explicitly (a host or test choice): routes that need it answer 503. */
  | { kind: 'unavailable'; reason: string };

export interface AuthConfig {
  jwtSecret: string;
  /** True when no AUTH_JWT_SECRET was given and the well-known development secret is in use. */
  developmentSecret: boolean;
  /** The longest lifetime a bearer token may have, in seconds (`AUTH_JWT_MAX_LIFETIME`, default 86400). */
  maxLifetimeSeconds?: number;
}

export interface OnboardingConfig {
  /** The app's public base URL (`PUBLIC_URL`, default `http://localhost:<PORT>`). */
  publicUrl: string;
  /** Where onboarding and OAuth send the browser when done (`ONBOARDING_RETURN_URL`); JSON when unset. */
  returnUrl?: string;
  /** The platform's OAuth client id (`STRIPE_CLIENT_ID`); the sandbox's own in sandbox mode. */
  oauthClientId?: string;
}

export interface AppConfig {
  port: number;
  /** Proxies whose X-Forwarded-For is believed (`TRUSTED_PROXIES`: addresses, CIDRs, or `loopback`). */
  trustedProxies: string[];
  onboarding: OnboardingConfig;
  /** The data folder (`PGLITE_DIR`, default `./.data`): the embedded database and the sandbox's state. */
  dataDir: string;
  database: DatabaseConfig;
  stripe: StripeConfig;
  auth: AuthConfig;
  /**
   * Requests per minute per route and caller on the routes that mint links, states and tokens or create
   * accounts (`RATE_LIMIT_PER_MINUTE`, default 30; 0 switches the limit off).
   */
  rateLimitPerMinute?: number;
  /**
   * How webhook events are processed (`WEBHOOK_PROCESSING`: `inline`, the default, or `queued`: answered once
   * stored, processed by workers through pg-boss; PostgreSQL only). Tuning beyond the mode is the library's
   * `webhookProcessing` option.
   */
  webhookProcessing?: WebhookProcessingOptions;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const STRIPE_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9_+/=-]+$/;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function loadDatabaseConfig(env: Env, problems: string[] = []): DatabaseConfig {
  const url = value(env, 'DATABASE_URL');
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol)) {
      problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    return { kind: 'postgres', url };
  }
  return { kind: 'pglite', dataDir: join(dataDirOf(env), 'pglite') };
}

/** The data folder: PGLITE_DIR, or ./.data. */
export function dataDirOf(env: Env): string {
  return resolve(value(env, 'PGLITE_DIR') ?? '.data');
}

function generatedSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

function loadStripeConfig(env: Env, problems: string[]): StripeConfig {
  const secretKey = value(env, 'STRIPE_SECRET_KEY');
  const apiBase = value(env, 'STRIPE_API_BASE') ?? 'https://api.stripe.com';
  try {
    const parsed = new URL(apiBase);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('protocol');
  } catch {
    problems.push('STRIPE_API_BASE must be an http:// or https:// URL');
  }
  const webhookSecrets = list(env.STRIPE_WEBHOOK_SECRET);
  const connectWebhookSecrets = list(env.STRIPE_CONNECT_WEBHOOK_SECRET);
  for (const [name, secrets] of [
    ['STRIPE_WEBHOOK_SECRET', webhookSecrets],
    ['STRIPE_CONNECT_WEBHOOK_SECRET', connectWebhookSecrets],
  ] as const) {
    if (secrets.some((secret) => !WEBHOOK_SECRET.test(secret))) {
      problems.push(`${name} must be a comma-separated list of webhook signing secrets (whsec_…)`);
    }
  }
  if (secretKey === undefined) {
    // Sandbox mode: given secrets are honoured (the first of each list signs), others are generated.
    return {
      kind: 'sandbox',
      secretKey: `sk_test_sandbox_${randomBytes(12).toString('hex')}`,
      webhookSecrets: webhookSecrets.length ? webhookSecrets : [generatedSecret()],
      connectWebhookSecrets: connectWebhookSecrets.length
        ? connectWebhookSecrets
        : [generatedSecret()],
      stateFile: join(dataDirOf(env), 'stripe-sandbox.jsonl'),
    };
  }
  if (!STRIPE_KEY.test(secretKey)) {
    problems.push('STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)');
  }
  if (webhookSecrets.length === 0) {
    problems.push('STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set');
  }
  if (connectWebhookSecrets.length === 0) {
    problems.push('STRIPE_CONNECT_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set');
  }
  return { kind: 'stripe', secretKey, apiBase, webhookSecrets, connectWebhookSecrets };
}

export function loadAuthConfig(env: Env, problems: string[] = []): AuthConfig {
  const rawLifetime = value(env, 'AUTH_JWT_MAX_LIFETIME');
  const maxLifetimeSeconds = rawLifetime === undefined ? 86_400 : Number(rawLifetime);
  if (rawLifetime !== undefined && (!/^\d+$/.test(rawLifetime) || maxLifetimeSeconds < 60)) {
    problems.push('AUTH_JWT_MAX_LIFETIME must be a whole number of seconds, at least 60');
  }
  const jwtSecret = value(env, 'AUTH_JWT_SECRET');
  if (jwtSecret !== undefined) {
    if (jwtSecret.length < 32) problems.push('AUTH_JWT_SECRET must be at least 32 characters');
    return { jwtSecret, developmentSecret: false, maxLifetimeSeconds };
  }
  if (value(env, 'STRIPE_SECRET_KEY') !== undefined) {
    problems.push('AUTH_JWT_SECRET is required when STRIPE_SECRET_KEY is set');
  }
  return { jwtSecret: DEVELOPMENT_JWT_SECRET, developmentSecret: true, maxLifetimeSeconds };
}

function loadPort(env: Env, problems: string[]): number {
  const raw = value(env, 'PORT');
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    problems.push('PORT must be an integer from 0 to 65535');
  }
  return port;
}

const SANDBOX_OAUTH_CLIENT_ID = 'ca_sandbox_platform';

function loadOnboardingConfig(env: Env, port: number, problems: string[]): OnboardingConfig {
  const url = (name: string): string | undefined => {
    const raw = value(env, name);
    if (raw === undefined) return undefined;
    try {
      if (!['http:', 'https:'].includes(new URL(raw).protocol)) throw new Error('protocol');
    } catch {
      problems.push(`${name} must be an http:// or https:// URL`);
    }
    return raw;
  };
  const clientId = value(env, 'STRIPE_CLIENT_ID');
  if (clientId !== undefined && !/^ca_\w+$/.test(clientId))
    problems.push('STRIPE_CLIENT_ID must be an OAuth client id (ca_…)');
  return {
    publicUrl: url('PUBLIC_URL') ?? `http://localhost:${port}`,
    returnUrl: url('ONBOARDING_RETURN_URL'),
    oauthClientId:
      clientId ??
      (value(env, 'STRIPE_SECRET_KEY') === undefined ? SANDBOX_OAUTH_CLIENT_ID : undefined),
  };
}

function loadRateLimit(env: Env, problems: string[]): number {
  const raw = value(env, 'RATE_LIMIT_PER_MINUTE');
  if (raw === undefined) return 30;
  if (!/^\d{1,6}$/.test(raw))
    problems.push('RATE_LIMIT_PER_MINUTE must be a whole number (0: off)');
  return Number(raw);
}

function loadWebhookProcessing(env: Env, problems: string[]): WebhookProcessingOptions {
  const mode = value(env, 'WEBHOOK_PROCESSING') ?? 'inline';
  if (mode !== 'inline' && mode !== 'queued') {
    problems.push('WEBHOOK_PROCESSING must be inline or queued');
    return { mode: 'inline' };
  }
  if (mode === 'queued' && !value(env, 'DATABASE_URL'))
    problems.push(
      'WEBHOOK_PROCESSING=queued needs DATABASE_URL (PostgreSQL): PGlite processes inline only',
    );
  return { mode };
}

/** Reads and validates the whole configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const port = loadPort(env, problems);
  const config: AppConfig = {
    port,
    trustedProxies: list(env.TRUSTED_PROXIES),
    onboarding: loadOnboardingConfig(env, port, problems),
    dataDir: dataDirOf(env),
    database: loadDatabaseConfig(env, problems),
    stripe: loadStripeConfig(env, problems),
    auth: loadAuthConfig(env, problems),
    rateLimitPerMinute: loadRateLimit(env, problems),
    webhookProcessing: loadWebhookProcessing(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
