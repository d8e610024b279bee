import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Request } from 'express';
import { StripeConnectModule, type StripeConnectUser } from 'nest-stripe-connect';
import { SessionGuard, type AuthenticatedRequest } from './auth/session.guard.js';
import { marketplaceDataSource } from './data-source.js';
import { validateEnv, type MarketplaceEnv } from './marketplace.config.js';
import { PayoutNoticesController } from './payouts/payout-notices.controller.js';
import { PayoutNoticesService } from './payouts/payout-notices.service.js';
import { PayoutNotifier } from './payouts/payout-notifier.listener.js';

/** The library's caller, from the marketplace's own session: admins are the platform's back office. */
export function connectUserOf(request: Request): StripeConnectUser | undefined {
  const user = (request as AuthenticatedRequest).user;
  return user ? { id: user.id, platform: user.role === 'admin' } : undefined;
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<MarketplaceEnv, true>) => ({
        ...marketplaceDataSource(config.get('DATABASE_URL', { infer: true })),
        retryAttempts: 2,
      }),
    }),
    EventEmitterModule.forRoot({ wildcard: true }),
    StripeConnectModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<MarketplaceEnv, true>) => ({
        secretKey: config.get('STRIPE_SECRET_KEY', { infer: true }),
        apiBase: config.get('STRIPE_API_BASE', { infer: true }),
        webhookSecrets: [config.get('STRIPE_WEBHOOK_SECRET', { infer: true })],
        connectWebhookSecrets: [config.get('STRIPE_CONNECT_WEBHOOK_SECRET', { infer: true })],
        publicUrl: config.get('PUBLIC_URL', { infer: true }),
        getUser: connectUserOf,
      }),
    }),
  ],
  controllers: [PayoutNoticesController],
  providers: [{ provide: APP_GUARD, useClass: SessionGuard }, PayoutNoticesService, PayoutNotifier],
})
export class AppModule {}
