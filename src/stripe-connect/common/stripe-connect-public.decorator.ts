import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { STRIPE_CONNECT_PUBLIC } from '../stripe-connect.constants.js';

/**
 * Marks a library route that takes no user authentication: the webhook endpoints (the Stripe signature is
 * their authentication) and the pages Stripe redirects a browser to (a signed `state` authenticates them).
 */
export const StripeConnectPublic = (): MethodDecorator & ClassDecorator =>
  SetMetadata(STRIPE_CONNECT_PUBLIC, true);

/** For a host's global authentication guard: true when the route is one the library marked public. */
export function isStripeConnectPublicRoute(
  reflector: Reflector,
  context: ExecutionContext,
): boolean {
  return (
    reflector.getAllAndOverride<boolean | undefined>(STRIPE_CONNECT_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]) === true
  );
}
