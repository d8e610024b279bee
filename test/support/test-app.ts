import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication, LoggerService, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { inject } from 'vitest';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { connectEmbeddedSandbox } from '../../src/bootstrap.js';
import { signAuthToken } from '../../src/auth/jwt.js';
import type { AppConfig, DatabaseConfig, StripeConfig } from '../../src/config/app-config.js';
import { createTestDatabase } from './test-database.js';

export const TEST_JWT_SECRET = 'test-secret-of-the-end-to-end-tests-0123456789';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** A bearer token for `userId` (role `platform` with `{ platform: true }`). */
  token(userId: string, options?: { platform?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real host app (AppModule, global pipe, guard, OpenAPI) on this file's own database. `controllers` adds
 * test-only routes beside it, which see everything the host app provides.
 */
export async function createTestApp(
  options: {
    database?: DatabaseConfig;
    /** Default: Stripe switched off (routes that need it answer 503). `'sandbox'`: the embedded sandbox. */
    stripe?: StripeConfig | 'sandbox';
    controllers?: Type[];
    /** Test-only providers (listeners) beside the host app. */
    providers?: Provider[];
    onboarding?: Partial<AppConfig['onboarding']>;
    trustedProxies?: string[];
    /** Where the app's logs go (default: nowhere). */
    logger?: LoggerService;
    /** The library's rate limit per route and caller; default off (0) in tests. */
    rateLimitPerMinute?: number;
    /** How webhooks are processed (default inline). */
    webhookProcessing?: AppConfig['webhookProcessing'];
  } = {},
): Promise<TestApp> {
  const run = inject('testDatabaseRun');
  const dataDir = join(run.root, `app-${randomBytes(4).toString('hex')}`);
  const stripe: StripeConfig =
    options.stripe === 'sandbox'
      ? {
          kind: 'sandbox',
          secretKey: 'sk_test_embedded_sandbox',
          webhookSecrets: ['whsec_test_platform_endpoint'],
          connectWebhookSecrets: ['whsec_test_connect_endpoint'],
          stateFile: join(dataDir, 'stripe-sandbox.jsonl'),
        }
      : (options.stripe ?? {
          kind: 'unavailable',
          reason: 'Stripe is not configured in this test',
        });
  const config: AppConfig = {
    port: 0,
    trustedProxies: options.trustedProxies ?? [],
    onboarding: {
      publicUrl: 'https://market.example.com',
      oauthClientId: 'ca_sandbox_platform',
      ...options.onboarding,
    },
    dataDir,
    database: options.database ?? (await createTestDatabase(run)),
    stripe,
    auth: { jwtSecret: TEST_JWT_SECRET, developmentSecret: false },
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    ...(options.webhookProcessing ? { webhookProcessing: options.webhookProcessing } : {}),
  };
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ rawBody: true, logger: options.logger ?? false });
  configureApp(app, { trustedProxies: config.trustedProxies });
  // Listening (on 127.0.0.1) lets the embedded sandbox deliver webhooks to the app.
  await app.listen(0, '127.0.0.1');
  connectEmbeddedSandbox(app, config);
  return {
    app,
    config,
    token: (userId, tokenOptions) => signAuthToken(TEST_JWT_SECRET, userId, tokenOptions),
    close: () => app.close(),
  };
}
