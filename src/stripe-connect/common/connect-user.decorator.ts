import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { STRIPE_CONNECT_USER } from '../stripe-connect.constants.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';

/** The caller resolved by `StripeConnectAuthGuard` (a `StripeConnectUser`). */
export const ConnectUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): StripeConnectUser => {
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    const user = request[STRIPE_CONNECT_USER] as StripeConnectUser | undefined;
    if (!user) throw new UnauthorizedException('Authentication required');
    return user;
  },
);
