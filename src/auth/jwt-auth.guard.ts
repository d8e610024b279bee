import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { isStripeConnectPublicRoute } from '../stripe-connect/index.js';
import { AuthSettings } from './auth-settings.js';
import { verifyAuthToken, type AuthClaims } from './jwt.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * The host's global authentication: every route needs `Authorization: Bearer <jwt>` (HS256, `sub`, `exp`, `role`)
 * except those marked `@Public()` and the library's own public routes (webhooks, Stripe redirects).
 * The verified claims are left on `req.user`, where the library's default `getUser` reads them.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: AuthSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (isStripeConnectPublicRoute(this.reflector, context)) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: AuthClaims }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedException('A bearer token is required');
    }
    try {
      request.user = await verifyAuthToken(
        this.settings.jwtSecret,
        token,
        this.settings.maxLifetimeSeconds,
      );
    } catch {
      throw new UnauthorizedException('The bearer token is invalid or expired');
    }
    return true;
  }
}
