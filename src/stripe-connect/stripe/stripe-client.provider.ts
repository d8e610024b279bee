import type { Provider } from '@nestjs/common';
import Stripe from 'stripe';
import { StripeUnavailableError } from '../common/stripe-connect.errors.js';
import { STRIPE_CLIENT, STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';

const APP_INFO = { name: 'nest-stripe-connect', version: '0.1.0' };

/** The SDK's resources (`accounts`, `payouts`, `oauth`, `webhooks`, …), read off a client that never connects. */
const STRIPE_RESOURCES: ReadonlySet<string> = (() => {
  const probe = new Stripe('sk_test_resource_names', { telemetry: false }) as unknown as Record<
    string,
    unknown
  >;
  return new Set(
    Object.keys(probe).filter(
      (name) =>
        !name.startsWith('_') &&
        typeof probe[name] === 'object' &&
        probe[name] !== null &&
        name !== 'errors',
    ),
  );
})();

/** The official SDK client, pointed at the configured API base (host, port and protocol). */
export function createStripeClient(options: ResolvedStripeConnectOptions): Stripe {
  if (!options.stripe.available) return unavailableStripeClient(options.stripe.reason);
  const { apiBase, secretKey, maxNetworkRetries, timeoutMs } = options.stripe;
  const protocol = apiBase.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: apiBase.hostname,
    port: apiBase.port ? Number(apiBase.port) : protocol === 'http' ? 80 : 443,
    protocol,
    maxNetworkRetries,
    timeout: timeoutMs,
    appInfo: APP_INFO,
    telemetry: false,
  });
}

/**
 * Stands in for the client when the module was started without Stripe: touching any Stripe resource
 * (`stripe.accounts`, `stripe.payouts`, …) throws StripeUnavailableError with the host's reason.
 */
export function unavailableStripeClient(reason: string): Stripe {
  return new Proxy({ errors: Stripe.errors } as unknown as Stripe, {
    get(target, property, receiver) {
      if (typeof property === 'string' && STRIPE_RESOURCES.has(property)) {
        throw new StripeUnavailableError(reason);
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

export const stripeClientProvider: Provider = {
  provide: STRIPE_CLIENT,
  useFactory: createStripeClient,
  inject: [STRIPE_CONNECT_OPTIONS],
};
