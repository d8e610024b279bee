import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { isStripeConnectPublicRoute } from 'nest-stripe-connect';
import type { MarketplaceEnv } from '../marketplace.config.js';
import { verifySessionToken, type SessionUser } from './session-token.js';

export type AuthenticatedRequest = Request & { user?: SessionUser };

/**
 * Every route needs `Authorization: Bearer <session token>`, except the library's public ones (its webhook
 * endpoints and Stripe's browser redirects, which authenticate otherwise).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: ConfigService<MarketplaceEnv, true>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (isStripeConnectPublicRoute(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const user = header.startsWith('Bearer ')
      ? verifySessionToken(this.config.get('AUTH_SECRET', { infer: true }), header.slice(7))
      : null;
    if (!user) throw new UnauthorizedException('A valid session token is required');
    request.user = user;
    return true;
  }
}
