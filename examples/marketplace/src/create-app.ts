import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createStripeConnectValidationPipe } from 'nest-stripe-connect';
import { AppModule } from './app.module.js';

/** The marketplace app: raw bodies for webhook signatures, the library's validation on every route. */
export async function createApp(
  options: { logger?: LogLevel[] | false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, {
    rawBody: true,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  app.useGlobalPipes(createStripeConnectValidationPipe());
  app.enableShutdownHooks();
  return app;
}
