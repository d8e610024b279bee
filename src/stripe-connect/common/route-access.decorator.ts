import { SetMetadata } from '@nestjs/common';

/** Metadata key of routes that only the platform may call. */
export const STRIPE_CONNECT_PLATFORM_ONLY = 'stripe-connect:platform-only';
/** Metadata key of routes on one connected account: the name of the path parameter holding its id. */
export const STRIPE_CONNECT_ACCOUNT_PARAM = 'stripe-connect:account-param';

/**
 * A route only the platform may call: a user token answers 403 before the body is validated or a file is
 * read (`StripeConnectAuthGuard` checks it).
 */
export const PlatformOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(STRIPE_CONNECT_PLATFORM_ONLY, true);

/**
 * A route on one connected account, named by the path parameter `param`: only its owner (or the platform)
 * may call it; anyone else gets 404, before the body is validated or a file is read.
 */
export const AccountOwnerOnly = (param = 'id'): MethodDecorator & ClassDecorator =>
  SetMetadata(STRIPE_CONNECT_ACCOUNT_PARAM, param);
