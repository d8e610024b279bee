import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type INestApplication } from '@nestjs/common';
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
): Promise<{ app: INestApplication; config: AppConfig }> {
  const config = loadConfig(env);
  const logger = new Logger('Bootstrap');
  const started = Date.now();
  const app = await NestFactory.create(AppModule.forRoot(config), { rawBody: true });
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
