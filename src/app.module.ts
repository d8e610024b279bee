import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthSettings } from './auth/auth-settings.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import type { AppConfig, OnboardingConfig, StripeConfig } from './config/app-config.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { HealthController } from './health/health.controller.js';
import { OnboardingPagesModule } from './onboarding-pages/onboarding-pages.module.js';
import { EmbeddedSandbox } from './sandbox/embedded-sandbox.js';
import { StripeConnectModule, type StripeConnectModuleOptions } from './stripe-connect/index.js';

/** The library's options from the host's configuration (and the embedded sandbox's URL in sandbox mode). */
export function stripeConnectOptions(
  stripe: StripeConfig,
  sandbox?: EmbeddedSandbox,
  onboarding?: OnboardingConfig,
  rateLimitPerMinute?: number,
  webhookProcessing?: StripeConnectModuleOptions['webhookProcessing'],
): StripeConnectModuleOptions {
  const limits: Pick<StripeConnectModuleOptions, 'rateLimit'> =
    rateLimitPerMinute === undefined
      ? {}
      : {
          rateLimit:
            rateLimitPerMinute === 0 ? false : { limit: rateLimitPerMinute, ttlMs: 60_000 },
        };
  const common = webhookProcessing ? { ...limits, webhookProcessing } : limits;
  const hosted = onboarding
    ? {
        ...common,
        publicUrl: onboarding.publicUrl,
        ...(onboarding.returnUrl ? { onboardingReturnUrl: onboarding.returnUrl } : {}),
        ...(onboarding.oauthClientId ? { oauthClientId: onboarding.oauthClientId } : {}),
      }
    : common;
  if (stripe.kind === 'unavailable') return { withoutStripe: { reason: stripe.reason }, ...hosted };
  return {
    ...hosted,
    secretKey: stripe.secretKey,
    apiBase: stripe.kind === 'sandbox' ? sandbox!.url : stripe.apiBase,
    webhookSecrets: stripe.webhookSecrets,
    connectWebhookSecrets: stripe.connectWebhookSecrets,
    maxNetworkRetries: 2,
  };
}

@Module({})
class EmbeddedSandboxModule {}

/** The host app: database, authentication, health, and the Stripe Connect library. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const stripe = config.stripe;
    const sandboxProviders =
      stripe.kind === 'sandbox'
        ? [
            {
              provide: EmbeddedSandbox,
              useFactory: () =>
                EmbeddedSandbox.start({
                  stateFile: stripe.stateFile,
                  platformSecret: stripe.webhookSecrets[0],
                  connectSecret: stripe.connectWebhookSecrets[0],
                }),
            },
          ]
        : [];
    // One module instance, imported by the app and by the library's options factory.
    const sandboxModule: DynamicModule = {
      module: EmbeddedSandboxModule,
      providers: sandboxProviders,
      exports: sandboxProviders.map((p) => p.provide),
    };
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(config.database),
          migrationsRun: true,
          retryAttempts: 2,
          retryDelay: 1000,
        }),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        StripeConnectModule.forRootAsync({
          isGlobal: true,
          // The onboarding pages' own routes answer errors in the library's shape too.
          errorShapePaths: ['/onboarding'],
          imports: [sandboxModule],
          inject: sandboxProviders.length ? [EmbeddedSandbox] : [],
          useFactory: (sandbox?: EmbeddedSandbox) =>
            stripeConnectOptions(
              config.stripe,
              sandbox,
              config.onboarding,
              config.rateLimitPerMinute,
              config.webhookProcessing,
            ),
        }),
        sandboxModule,
        OnboardingPagesModule.register({ jwtSecret: config.auth.jwtSecret }),
      ],
      controllers: [HealthController],
      providers: [
        {
          provide: AuthSettings,
          useValue: new AuthSettings(config.auth.jwtSecret, config.auth.maxLifetimeSeconds),
        },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
