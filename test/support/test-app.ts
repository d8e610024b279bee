import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { inject } from 'vitest';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
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
  options: { database?: DatabaseConfig; stripe?: StripeConfig; controllers?: Type[] } = {},
): Promise<TestApp> {
  const config: AppConfig = {
    port: 0,
    database: options.database ?? (await createTestDatabase(inject('testDatabaseRun'))),
    stripe: options.stripe ?? {
      kind: 'unavailable',
      reason: 'Stripe is not configured in this test',
    },
    auth: { jwtSecret: TEST_JWT_SECRET, developmentSecret: false },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
    controllers: options.controllers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ rawBody: true, logger: false });
  configureApp(app);
  await app.init();
  return {
    app,
    config,
    token: (userId, tokenOptions) => signAuthToken(TEST_JWT_SECRET, userId, tokenOptions),
    close: () => app.close(),
  };
}
