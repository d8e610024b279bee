import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { describeDatabase } from './database/data-source-options.js';
import { EmbeddedSandbox } from './sandbox/embedded-sandbox.js';

/** Points the embedded sandbox (sandbox mode) at the app's webhook endpoints once the app listens. */
export function connectEmbeddedSandbox(app: INestApplication, config: AppConfig): void {
  if (config.stripe.kind !== 'sandbox') return;
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  app.get(EmbeddedSandbox).deliverTo(`http://127.0.0.1:${port}`);
}

function describeStripe(app: INestApplication, config: AppConfig): string {
  switch (config.stripe.kind) {
    case 'stripe':
      return `Stripe API at ${config.stripe.apiBase}`;
    case 'sandbox':
      return (
        `no STRIPE_SECRET_KEY, so the offline Stripe sandbox runs in-process at ` +
        `${app.get(EmbeddedSandbox).url} (state in ${config.stripe.stateFile})`
      );
    default:
      return config.stripe.reason;
  }
}

/**
 * Reads the configuration from `env` (throwing a ConfigError that names every bad variable), builds the app,
 * runs pending migrations and starts listening.
 */
export async function bootstrap(
  env: Record<string, string | undefined>,
  options: { logLevels?: LogLevel[] } = {},
): Promise<{ app: INestApplication; config: AppConfig }> {
  const config = loadConfig(env);
  const started = Date.now();
  const app = await NestFactory.create(AppModule.forRoot(config), {
    rawBody: true,
    ...(options.logLevels ? { logger: options.logLevels } : {}),
  });
  const logger = new Logger('Bootstrap');
  if (config.auth.developmentSecret) {
    logger.warn(
      'AUTH_JWT_SECRET is not set: bearer tokens are signed with the well-known DEVELOPMENT secret, so ' +
        'anyone can mint them. Set AUTH_JWT_SECRET before exposing this service.',
    );
  }
  configureApp(app, { trustedProxies: config.trustedProxies });
  await app.listen(config.port);
  connectEmbeddedSandbox(app, config);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  logger.log(`Database: ${describeDatabase(config.database)}`);
  logger.log(`Stripe: ${describeStripe(app, config)}`);
  logger.log(
    `Listening on http://localhost:${port} (docs at /docs) after ${Date.now() - started} ms`,
  );
  logger.log(
    `Onboarding pages at http://localhost:${port}/onboarding: sign in with the link ` +
      '`npm run cli -- onboarding-url <userId>` prints',
  );
  return { app, config };
}
