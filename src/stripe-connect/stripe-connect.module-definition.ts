import { ConfigurableModuleBuilder } from '@nestjs/common';
import {
  STRIPE_CONNECT_ROUTE_PREFIXES,
  type StripeConnectRoutePrefixes,
} from './stripe-connect.constants.js';
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
  /**
   * More path prefixes of the host (e.g. `['/onboarding']`) whose errors before a route runs (body not JSON,
   * too large, unknown path) are answered in the library's error shape, as on `/connect…`; default none.
   */
  errorShapePaths?: string[];
}

const normalizedPath = (path: string) => `/${path.replace(/^\/+|\/+$/g, '')}`;

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<StripeConnectModuleOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createStripeConnectOptions')
    .setExtras<StripeConnectModuleExtras>(
      { isGlobal: false, webhookPaths: {}, errorShapePaths: [] },
      (definition, extras) => ({
        ...definition,
        global: extras.isGlobal,
        providers: [
          ...(definition.providers ?? []),
          {
            provide: STRIPE_CONNECT_ROUTE_PREFIXES,
            useValue: {
              all: [
                '/connect',
                ...Object.values({ ...DEFAULT_WEBHOOK_PATHS, ...extras.webhookPaths }).map(
                  normalizedPath,
                ),
                ...(extras.errorShapePaths ?? []).map(normalizedPath),
              ],
              webhooks: Object.values({ ...DEFAULT_WEBHOOK_PATHS, ...extras.webhookPaths }).map(
                normalizedPath,
              ),
            } satisfies StripeConnectRoutePrefixes,
          },
        ],
        // The webhook routes are fixed when the module is defined, so their paths are extras, not options.
        // First: the router tries routes in order, and the webhook routes take the most requests.
        controllers: [
          createWebhooksController({ ...DEFAULT_WEBHOOK_PATHS, ...extras.webhookPaths }),
          ...(definition.controllers ?? []),
        ],
      }),
    )
    .build();
