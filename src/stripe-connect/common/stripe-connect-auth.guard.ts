import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { STRIPE_CONNECT_OPTIONS, STRIPE_CONNECT_USER } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';

/**
 * Resolves the caller through the `getUser` option and keeps it on the request for `@ConnectUser()`.
 * A request without a user is 401.
 */
@Injectable()
export class StripeConnectAuthGuard implements CanActivate {
  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const user = this.options.getUser(request);
    if (!user) throw new UnauthorizedException('Authentication required');
    request[STRIPE_CONNECT_USER] = user;
    return true;
  }
}
