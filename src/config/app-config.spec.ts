import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './app-config.js';

const stripeEnv = {
  STRIPE_SECRET_KEY: 'sk_test_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_one, whsec_two',
  STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_three',
  AUTH_JWT_SECRET: 'x'.repeat(32),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(resolve('.data'));
    expect(config.database).toEqual({ kind: 'pglite', dataDir: resolve('.data/pglite') });
    expect(config.stripe).toMatchObject({
      kind: 'sandbox',
      secretKey: expect.stringMatching(/^sk_test_/),
      webhookSecrets: [expect.stringMatching(/^whsec_/)],
      connectWebhookSecrets: [expect.stringMatching(/^whsec_/)],
      stateFile: resolve('.data/stripe-sandbox.jsonl'),
    });
    expect(config.auth).toEqual({
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      developmentSecret: true,
      maxLifetimeSeconds: 86_400,
    });
  });

  it('uses PGLITE_DIR and DATABASE_URL', () => {
    expect(loadConfig({ PGLITE_DIR: '/tmp/x' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/tmp/x/pglite',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/d',
    });
  });

  it('honours given webhook secrets in sandbox mode, the first of each list signing', () => {
    const config = loadConfig({
      STRIPE_WEBHOOK_SECRET: 'whsec_a,whsec_b',
      STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_c',
    });
    expect(config.stripe).toMatchObject({
      kind: 'sandbox',
      webhookSecrets: ['whsec_a', 'whsec_b'],
      connectWebhookSecrets: ['whsec_c'],
    });
  });

  it('reads Stripe settings with secret lists for rotation', () => {
    const config = loadConfig({ ...stripeEnv, STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    expect(config.stripe).toEqual({
      kind: 'stripe',
      secretKey: 'sk_test_abc',
      apiBase: 'http://127.0.0.1:12111',
      webhookSecrets: ['whsec_one', 'whsec_two'],
      connectWebhookSecrets: ['whsec_three'],
    });
    expect(config.auth.developmentSecret).toBe(false);
  });

  it('names each variable missing when a Stripe key is set', () => {
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toEqual([
      'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set',
      'STRIPE_CONNECT_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set',
      'AUTH_JWT_SECRET is required when STRIPE_SECRET_KEY is set',
    ]);
  });

  it('names each malformed variable', () => {
    const found = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://h/d',
      STRIPE_SECRET_KEY: 'pk_test_abc',
      STRIPE_API_BASE: 'not a url',
      STRIPE_WEBHOOK_SECRET: 'secret',
      STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_ok',
      AUTH_JWT_SECRET: 'short',
    });
    expect(found.map((p) => p.split(' ')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'STRIPE_API_BASE',
      'STRIPE_WEBHOOK_SECRET',
      'STRIPE_SECRET_KEY',
      'AUTH_JWT_SECRET',
    ]);
  });

  it('never puts a secret value in its messages', () => {
    const error = (() => {
      try {
        loadConfig({ ...stripeEnv, STRIPE_SECRET_KEY: 'sk_live_bad-key!' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('STRIPE_SECRET_KEY');
    expect(error?.message).not.toContain('bad-key');
  });
});
