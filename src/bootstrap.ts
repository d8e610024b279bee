import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { describeDatabase } from './database/data-source-options.js';

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
  configureApp(app);
  await app.listen(config.port);
  const stripe =
    config.stripe.kind === 'stripe'
      ? `Stripe API at ${config.stripe.apiBase}`
      : config.stripe.reason;
  logger.log(`Database: ${describeDatabase(config.database)}`);
  logger.log(`Stripe: ${stripe}`);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  logger.log(
    `Listening on http://localhost:${address.port} (docs at /docs) after ${Date.now() - started} ms`,
  );
  return { app, config };
}
