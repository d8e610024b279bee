import { ConfigurableModuleBuilder } from '@nestjs/common';
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
        // The webhook routes are fixed when the module is defined, so their paths are extras, not options.
        controllers: [
          ...(definition.controllers ?? []),
          createWebhooksController({ ...DEFAULT_WEBHOOK_PATHS, ...extras.webhookPaths }),
        ],
      }),
    )
    .build();
