import {
  Inject,
  Module,
  RequestMethod,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import helmet from 'helmet';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsController } from './accounts/accounts.controller.js';
import { AccountsRepository } from './accounts/accounts.repository.js';
import { AccountsService } from './accounts/accounts.service.js';
import { AccountsSyncRepository } from './accounts/accounts-sync.repository.js';
import { AccountsSyncService } from './accounts/accounts-sync.service.js';
import { PersonsController } from './accounts/persons.controller.js';
import { PersonsService } from './accounts/persons.service.js';
import { SyncCursorRepository } from './accounts/sync-cursor.repository.js';
import { VerificationService } from './accounts/verification.service.js';
import { OnboardingController } from './accounts/onboarding.controller.js';
import { OnboardingCountriesController } from './accounts/onboarding-countries.controller.js';
import { OnboardingService } from './accounts/onboarding.service.js';
import { CustomersController } from './customers/customers.controller.js';
import { CustomersService } from './customers/customers.service.js';
import { CustomersRepository } from './customers/customers.repository.js';
import { CustomerListsController } from './customers/customer-lists.controller.js';
import { ChargesController } from './charges/charges.controller.js';
import { ChargesService } from './charges/charges.service.js';
import { ChargesRepository } from './charges/charges.repository.js';
import { ChargeListsController } from './charges/charge-lists.controller.js';
import {
  PayoutsController,
  PlatformMoneyController,
  TransfersController,
} from './transfers/transfers.controller.js';
import { TransfersRepository } from './transfers/transfers.repository.js';
import { TransfersService } from './transfers/transfers.service.js';
import { StripeConnectAuthGuard } from './common/stripe-connect-auth.guard.js';
import { StripeConnectEdgeFilter } from './common/stripe-connect-edge.filter.js';
import { StripeConnectExceptionFilter } from './common/stripe-connect-exception.filter.js';
import { StripeConnectThrottlerGuard } from './common/stripe-connect-throttler.guard.js';
import { DatabaseThrottlerStorage } from './common/rate-limit.storage.js';
import { StripeConnectValidationPipe } from './common/validation.js';
import { stripeConnectEntities } from './entities.js';
import { stripeClientProvider } from './stripe/stripe-client.provider.js';
import { EventSyncService } from './webhooks/event-sync.service.js';
import { MirrorService } from './webhooks/mirror.service.js';
import { StripeEventsRepository } from './webhooks/stripe-events.repository.js';
import { EventLogRepository } from './webhooks/event-log.repository.js';
import { EventsController } from './webhooks/events.controller.js';
import { WebhooksService } from './webhooks/webhooks.service.js';
import { webhookQueueProviders } from './webhooks/queue/webhook-queue.providers.js';
import { WebhookQueueService } from './webhooks/queue/webhook-queue.service.js';
import { WebhookQueueController } from './webhooks/queue/webhook-queue.controller.js';
import { WebhooksFastPath } from './webhooks/webhooks.fast-path.middleware.js';
import { WebhooksServerIntake } from './webhooks/webhooks.server-intake.js';
import { EventBatchProcessor } from './webhooks/event-batch.processor.js';
import {
  STRIPE_CLIENT,
  STRIPE_CONNECT_OPTIONS,
  STRIPE_CONNECT_ROUTE_PREFIXES,
  STRIPE_CONNECT_THROTTLER_STORAGE,
  type StripeConnectRoutePrefixes,
} from './stripe-connect.constants.js';
import {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
} from './stripe-connect.module-definition.js';
import { resolveStripeConnectOptions } from './stripe-connect.options-resolver.js';
import type { ResolvedStripeConnectOptions } from './stripe-connect.options.js';

const throttlerProviders: Provider[] = [
  { provide: STRIPE_CONNECT_THROTTLER_STORAGE, useClass: DatabaseThrottlerStorage },
  StripeConnectThrottlerGuard,
];

const libraryControllers = [
  AccountsController,
  PersonsController,
  OnboardingController,
  OnboardingCountriesController,
  CustomersController,
  ChargesController,
  TransfersController,
  PayoutsController,
  PlatformMoneyController,
  ChargeListsController,
  CustomerListsController,
  EventsController,
  WebhookQueueController,
];

const resolvedOptionsProvider: Provider = {
  provide: STRIPE_CONNECT_OPTIONS,
  useFactory: resolveStripeConnectOptions,
  inject: [MODULE_OPTIONS_TOKEN],
};

/**
 * Stripe Connect for a NestJS platform. Register with `StripeConnectModule.forRoot(options)` or
 * `forRootAsync({ useFactory | useClass | useExisting })`; the host's TypeORM DataSource must include
 * `stripeConnectEntities` and `stripeConnectMigrations`. Options are validated when the module starts.
 */
@Module({
  imports: [TypeOrmModule.forFeature(stripeConnectEntities), DiscoveryModule],
  providers: [
    resolvedOptionsProvider,
    stripeClientProvider,
    StripeConnectAuthGuard,
    StripeConnectExceptionFilter,
    StripeConnectValidationPipe,
    ...throttlerProviders,
    // What fails before a library route runs (413, bad JSON, unknown path) answers the library's error body.
    { provide: APP_FILTER, useClass: StripeConnectEdgeFilter },
    StripeEventsRepository,
    EventSyncService,
    MirrorService,
    EventBatchProcessor,
    WebhooksService,
    WebhooksServerIntake,
    ...webhookQueueProviders,
    AccountsRepository,
    AccountsService,
    AccountsSyncService,
    AccountsSyncRepository,
    PersonsService,
    SyncCursorRepository,
    EventLogRepository,
    VerificationService,
    OnboardingService,
    CustomersRepository,
    CustomersService,
    ChargesRepository,
    ChargesService,
    TransfersRepository,
    TransfersService,
  ],
  controllers: libraryControllers,
  exports: [
    WebhooksService,
    WebhookQueueService,
    EventBatchProcessor,
    MirrorService,
    EventLogRepository,
    AccountsService,
    AccountsSyncService,
    PersonsService,
    VerificationService,
    OnboardingService,
    CustomersService,
    ChargesService,
    TransfersService,
    STRIPE_CONNECT_OPTIONS,
    STRIPE_CLIENT,
    StripeConnectAuthGuard,
    StripeConnectExceptionFilter,
    StripeConnectValidationPipe,
    StripeConnectThrottlerGuard,
    // The guard checks account ownership; a host's controllers that use it need what it needs.
    AccountsRepository,
    TypeOrmModule,
  ],
})
export class StripeConnectModule extends ConfigurableModuleClass implements NestModule {
  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly resolved: ResolvedStripeConnectOptions,
    @Inject(STRIPE_CONNECT_ROUTE_PREFIXES) private readonly prefixes: StripeConnectRoutePrefixes,
  ) {
    super();
  }

  /**
   * The webhook routes' lean path first (webhooks.fast-path.middleware.ts: the `'express'` intake, and what the
   * `'server'` intake of webhooks.server-intake.ts passes on); security headers (helmet) on the library's REST
   * routes, unless `securityHeaders: false`.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(WebhooksFastPath)
      .forRoutes(...this.prefixes.webhooks.map((path) => ({ path, method: RequestMethod.POST })));
    if (this.resolved.securityHeaders) consumer.apply(helmet()).forRoutes(...libraryControllers);
  }
}
