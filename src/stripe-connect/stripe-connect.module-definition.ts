import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { StripeConnectModuleOptions } from './stripe-connect.options.js';

export interface StripeConnectModuleExtras {
  /** Register the module globally (its services injectable everywhere); default false. */
  isGlobal?: boolean;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<StripeConnectModuleOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createStripeConnectOptions')
    .setExtras<StripeConnectModuleExtras>({ isGlobal: false }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
