import { ConfigurableModuleBuilder } from '@nestjs/common';
import { STRIPE_CONNECT_ROUTE_PREFIXES } from './stripe-connect.constants.js';
import type { StripeConnectModuleOptions } from './stripe-connect.options.js';
import {
  createWebhooksController,
  DEFAULT_WEBHOOK_PATHS,
  type WebhookPaths,
} from './webhooks/webhooks.controller.js';

export interface StripeConnectModuleExtras {
  /** Register the module globally (its services injectable everywhere); default false. */
  isGlobal?: boolean;
  /** Paths of the two webhook endpoints; default `/stripe/webhooks` and `/stripe/webhooks/connect`. */
  webhookPaths?: Partial<WebhookPaths>;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<StripeConnectModuleOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createStripeConnectOptions')
    .setExtras<StripeConnectModuleExtras>(
      { isGlobal: false, webhookPaths: {} },
      (definition, extras) => ({
        ...definition,
        global: extras.isGlobal,
        providers: [
          ...(definition.providers ?? []),
          {
            provide: STRIPE_CONNECT_ROUTE_PREFIXES,
            useValue: [
              '/connect',
              ...Object.values({ ...DEFAULT_WEBHOOK_PATHS, ...extras.webhookPaths }).map(
                (path) => `/${path.replace(/^\/+|\/+$/g, '')}`,
              ),
            ],
          },
        ],
        // The webhook routes are fixed when the module is defined, so their paths are extras, not options.
        controllers: [
          ...(definition.controllers ?? []),
          createWebhooksController({ ...DEFAULT_WEBHOOK_PATHS, ...extras.webhookPaths }),
        ],
      }),
    )
    .build();
