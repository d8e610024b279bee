import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { StripeConnectConfigError } from './common/stripe-connect.errors.js';
import {
  resolveStripeConnectOptions,
  userFromJwtClaims,
} from './stripe-connect.options-resolver.js';

const valid = {
  secretKey: 'sk_test_123',
  webhookSecrets: ['whsec_a'],
  connectWebhookSecrets: ['whsec_b', 'whsec_c'],
};

function problemsOf(options: Parameters<typeof resolveStripeConnectOptions>[0]): string[] {
  try {
    resolveStripeConnectOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(StripeConnectConfigError);
    return (error as StripeConnectConfigError).problems;
  }
  throw new Error('expected the options to be refused');
}

describe('resolveStripeConnectOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveStripeConnectOptions(valid);
    expect(resolved.stripe).toMatchObject({
      available: true,
      secretKey: 'sk_test_123',
      maxNetworkRetries: 2,
      timeoutMs: 80_000,
      webhookSecrets: ['whsec_a'],
      connectWebhookSecrets: ['whsec_b', 'whsec_c'],
    });
    expect(resolved.stripe.available && resolved.stripe.apiBase.href).toBe(
      'https://api.stripe.com/',
    );
  });

  it('names a missing secret key', () => {
    expect(problemsOf({ ...valid, secretKey: undefined })).toEqual([
      expect.stringContaining('secretKey is required'),
    ]);
  });

  it('names missing webhook secrets, each by its option', () => {
    const problems = problemsOf({ secretKey: 'sk_test_1' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^webhookSecrets /);
    expect(problems[1]).toMatch(/^connectWebhookSecrets /);
  });

  it('refuses malformed values', () => {
    const problems = problemsOf({
      secretKey: 'pk_test_publishable',
      apiBase: 'ftp://example.com',
      webhookSecrets: ['nope'],
      connectWebhookSecrets: ['whsec_ok'],
      maxNetworkRetries: -1,
      timeoutMs: 0,
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'secretKey',
      'webhookSecrets',
      'apiBase',
      'maxNetworkRetries',
      'timeoutMs',
    ]);
  });

  it('takes webhook deliveries on the server by default, with a 100 kB body limit; refuses other values', () => {
    expect(resolveStripeConnectOptions(valid)).toMatchObject({
      webhookIntake: 'server',
      webhookBodyLimit: 102_400,
    });
    expect(
      resolveStripeConnectOptions({
        ...valid,
        webhookIntake: 'express',
        webhookBodyLimit: 1_000_000,
      }),
    ).toMatchObject({ webhookIntake: 'express', webhookBodyLimit: 1_000_000 });
    const problems = problemsOf({
      ...valid,
      webhookIntake: 'fastify' as never,
      webhookBodyLimit: 0.5,
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['webhookIntake', 'webhookBodyLimit']);
  });

  it('starts without Stripe only when asked explicitly, with a reason', () => {
    expect(resolveStripeConnectOptions({ withoutStripe: { reason: 'offline' } }).stripe).toEqual({
      available: false,
      reason: 'offline',
    });
    expect(problemsOf({ withoutStripe: { reason: ' ' } })).toEqual([
      expect.stringContaining('withoutStripe.reason'),
    ]);
    expect(problemsOf({ ...valid, withoutStripe: { reason: 'x' } })).toEqual([
      'secretKey and withoutStripe cannot both be set',
    ]);
  });

  it('takes the caller from JWT claims by default, and from getUser when given', () => {
    const request = (user: unknown) => ({ user }) as unknown as Request;
    expect(userFromJwtClaims(request({ sub: 'u1', role: 'platform' }))).toEqual({
      id: 'u1',
      platform: true,
    });
    expect(userFromJwtClaims(request({ sub: 'u2' }))).toEqual({ id: 'u2', platform: false });
    expect(userFromJwtClaims(request(undefined))).toBeUndefined();
    expect(userFromJwtClaims(request({ role: 'platform' }))).toBeUndefined();

    const custom = resolveStripeConnectOptions({
      ...valid,
      getUser: (req) => ({ id: String(req.headers['x-user']), platform: false }),
    });
    expect(custom.getUser({ headers: { 'x-user': 'h1' } } as unknown as Request)).toEqual({
      id: 'h1',
      platform: false,
    });
  });
});
