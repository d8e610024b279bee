import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthSettings } from './auth/auth-settings.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import type { AppConfig, StripeConfig } from './config/app-config.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { HealthController } from './health/health.controller.js';
import { StripeConnectModule, type StripeConnectModuleOptions } from './stripe-connect/index.js';

/** The library's options from the host's configuration. */
export function stripeConnectOptions(stripe: StripeConfig): StripeConnectModuleOptions {
  if (stripe.kind === 'unavailable') return { withoutStripe: { reason: stripe.reason } };
  return {
    secretKey: stripe.secretKey,
    apiBase: stripe.apiBase,
    webhookSecrets: stripe.webhookSecrets,
    connectWebhookSecrets: stripe.connectWebhookSecrets,
    maxNetworkRetries: 2,
  };
}

/** The host app: database, authentication, health, and the Stripe Connect library. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(config.database),
          migrationsRun: true,
          retryAttempts: 2,
          retryDelay: 1000,
        }),
        EventEmitterModule.forRoot(),
        StripeConnectModule.forRoot({ ...stripeConnectOptions(config.stripe), isGlobal: true }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: AuthSettings, useValue: new AuthSettings(config.auth.jwtSecret) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
