import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { createStripeConnectValidationPipe } from './stripe-connect/index.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nest-stripe-connect')
    .setDescription(
      'Stripe Connect for a marketplace or platform: connected accounts, onboarding, money movement and ' +
        'webhooks. Authenticate with `Authorization: Bearer <jwt>` (`npm run cli -- token <userId>`).',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** What main.ts and the end-to-end tests both apply to the Nest application. */
export function configureApp(
  app: INestApplication,
  options: { trustedProxies?: string[] } = {},
): INestApplication {
  // X-Forwarded-For is believed only from the proxies the host names (TRUSTED_PROXIES); `req.ip` is the
  // connection's address otherwise. The terms acceptance records it.
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void };
  express.set('trust proxy', options.trustedProxies?.length ? options.trustedProxies : false);
  // Whitelist, refuse unknown fields, transform; failures answer 400 with `errors` per field.
  app.useGlobalPipes(createStripeConnectValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
