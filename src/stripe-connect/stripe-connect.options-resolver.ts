import { createHmac, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { StripeConnectConfigError } from './common/stripe-connect.errors.js';
import type {
  ResolvedStripeConnectOptions,
  StripeConnectModuleOptions,
  StripeConnectUser,
} from './stripe-connect.options.js';
import { resolveWebhookProcessing } from './webhooks/queue/webhook-processing.options.js';

const STRIPE_KEY = /^(sk|rk)_(test|live)_\w+$/;
const DEFAULT_API_BASE = 'https://api.stripe.com';
/** body-parser's default limit (100 kB), which the `'express'` intake gets from the host's JSON parser. */
const DEFAULT_WEBHOOK_BODY_LIMIT = 100 * 1024;

interface JwtLikeUser {
  sub?: unknown;
  role?: unknown;
}

/** The default `getUser`: the claims a bearer-JWT guard left on `req.user`. */
export function userFromJwtClaims(request: Request): StripeConnectUser | undefined {
  const claims = (request as Request & { user?: JwtLikeUser }).user;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  return { id: claims.sub, platform: claims.role === 'platform' };
}

function secrets(name: string, value: unknown, problems: string[]): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((s) => typeof s !== 'string' || !s.startsWith('whsec_'))
  ) {
    problems.push(`${name} must be a non-empty list of webhook signing secrets (whsec_…)`);
    return [];
  }
  return value as string[];
}

/** Validates the options when the module starts and applies defaults; names every bad option at once. */
export function resolveStripeConnectOptions(
  options: StripeConnectModuleOptions | undefined,
): ResolvedStripeConnectOptions {
  const problems: string[] = [];
  if (!options || typeof options !== 'object') {
    throw new StripeConnectConfigError(['options are required']);
  }
  const getUser = options.getUser
    ? (request: Request) => options.getUser!(request) ?? undefined
    : userFromJwtClaims;
  if (options.getUser !== undefined && typeof options.getUser !== 'function') {
    problems.push('getUser must be a function');
  }

  let rateLimit: ResolvedStripeConnectOptions['rateLimit'] = { limit: 30, ttlMs: 60_000 };
  if (options.rateLimit === false) rateLimit = null;
  else if (options.rateLimit !== undefined) {
    const { limit = 30, ttlMs = 60_000 } = options.rateLimit;
    if (!Number.isInteger(limit) || limit < 1)
      problems.push('rateLimit.limit must be a positive integer');
    if (!Number.isInteger(ttlMs) || ttlMs < 1)
      problems.push('rateLimit.ttlMs must be a positive integer');
    rateLimit = { limit, ttlMs };
  }
  if (options.securityHeaders !== undefined && typeof options.securityHeaders !== 'boolean')
    problems.push('securityHeaders must be true or false');
  if (options.webhookIntake !== undefined && !['server', 'express'].includes(options.webhookIntake))
    problems.push("webhookIntake must be 'server' or 'express'");
  const { webhookBodyLimit = DEFAULT_WEBHOOK_BODY_LIMIT } = options;
  if (!Number.isInteger(webhookBodyLimit) || webhookBodyLimit < 1)
    problems.push('webhookBodyLimit must be a positive integer (bytes)');
  const common = {
    getUser,
    rateLimit,
    securityHeaders: options.securityHeaders !== false,
    webhookProcessing: resolveWebhookProcessing(options.webhookProcessing, problems),
    webhookIntake: options.webhookIntake ?? 'server',
    webhookBodyLimit,
  };

  const url = (name: 'publicUrl' | 'onboardingReturnUrl'): URL | null => {
    const value = options[name];
    if (value === undefined) return null;
    try {
      const parsed = new URL(value);
      if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('protocol');
      return parsed;
    } catch {
      problems.push(`${name} must be an http:// or https:// URL`);
      return null;
    }
  };
  if (options.oauthClientId !== undefined && !/^ca_\w+$/.test(options.oauthClientId)) {
    problems.push('oauthClientId must be a Stripe OAuth client id (ca_…)');
  }
  if (options.stateSecret !== undefined && options.stateSecret.length < 32) {
    problems.push('stateSecret must be at least 32 characters');
  }
  const onboarding = {
    publicUrl: url('publicUrl'),
    returnUrl: url('onboardingReturnUrl'),
    oauthClientId: options.oauthClientId ?? null,
    // Derived from the API key when not given: states then last as long as the key.
    stateSecret:
      options.stateSecret ??
      (options.secretKey
        ? createHmac('sha256', options.secretKey).update('nest-stripe-connect:state').digest('hex')
        : randomBytes(32).toString('hex')),
  };

  if (options.withoutStripe) {
    if (typeof options.withoutStripe.reason !== 'string' || !options.withoutStripe.reason.trim()) {
      problems.push('withoutStripe.reason must say why Stripe is unavailable');
    }
    if (options.secretKey) problems.push('secretKey and withoutStripe cannot both be set');
    if (problems.length) throw new StripeConnectConfigError(problems);
    return {
      stripe: { available: false, reason: options.withoutStripe.reason },
      ...common,
      onboarding,
    };
  }

  if (!options.secretKey) {
    problems.push('secretKey is required (a Stripe secret key, sk_…), unless withoutStripe is set');
  } else if (!STRIPE_KEY.test(options.secretKey)) {
    problems.push('secretKey must be a Stripe secret or restricted key (sk_… or rk_…)');
  }
  const webhookSecrets = secrets('webhookSecrets', options.webhookSecrets, problems);
  const connectWebhookSecrets = secrets(
    'connectWebhookSecrets',
    options.connectWebhookSecrets,
    problems,
  );
  let apiBase: URL | undefined;
  try {
    apiBase = new URL(options.apiBase ?? DEFAULT_API_BASE);
    if (!['http:', 'https:'].includes(apiBase.protocol)) throw new Error('protocol');
  } catch {
    problems.push('apiBase must be an http:// or https:// URL');
  }
  const maxNetworkRetries = options.maxNetworkRetries ?? 2;
  if (!Number.isInteger(maxNetworkRetries) || maxNetworkRetries < 0 || maxNetworkRetries > 10) {
    problems.push('maxNetworkRetries must be an integer from 0 to 10');
  }
  const timeoutMs = options.timeoutMs ?? 80_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    problems.push('timeoutMs must be a positive integer');
  }
  if (problems.length) throw new StripeConnectConfigError(problems);
  return {
    stripe: {
      available: true,
      secretKey: options.secretKey!,
      apiBase: apiBase!,
      webhookSecrets,
      connectWebhookSecrets,
      maxNetworkRetries,
      timeoutMs,
    },
    ...common,
    onboarding,
  };
}
