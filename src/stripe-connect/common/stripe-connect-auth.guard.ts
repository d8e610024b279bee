import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AccountsRepository } from '../accounts/accounts.repository.js';
import { STRIPE_CONNECT_OPTIONS, STRIPE_CONNECT_USER } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';
import { inputProblems } from './input-hygiene.js';
import {
  STRIPE_CONNECT_ACCOUNT_PARAM,
  STRIPE_CONNECT_PLATFORM_ONLY,
} from './route-access.decorator.js';
import { isStripeConnectPublicRoute } from './stripe-connect-public.decorator.js';
import { AccountNotFoundError } from './stripe-connect.errors.js';
import { validationFailed } from './validation.js';

/**
 * The door of every library route, before any body is validated or file read (guards run before
 * interceptors and pipes):
 * 1. the caller, resolved through the `getUser` option and kept on the request for `@ConnectUser()`
 *    (none: 401; routes marked `@StripeConnectPublic()` skip this);
 * 2. `@PlatformOnly()` routes: a user is 403;
 * 3. path parameters no route accepts (NUL, lone surrogates…): 400;
 * 4. `@AccountOwnerOnly()` routes: an account that is not the caller's is 404;
 * 5. query and (JSON) body values no route accepts: 400, before a pipe transforms them.
 */
@Injectable()
export class StripeConnectAuthGuard implements CanActivate {
  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
    private readonly reflector: Reflector,
    private readonly accounts: AccountsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const targets = [context.getHandler(), context.getClass()];
    const user = isStripeConnectPublicRoute(this.reflector, context)
      ? undefined
      : this.options.getUser(request);
    if (!user && !isStripeConnectPublicRoute(this.reflector, context))
      throw new UnauthorizedException('Authentication required');
    if (user) request[STRIPE_CONNECT_USER] = user;

    if (
      this.reflector.getAllAndOverride<boolean>(STRIPE_CONNECT_PLATFORM_ONLY, targets) &&
      !user?.platform
    )
      throw new ForbiddenException({
        statusCode: 403,
        message: 'Only the platform may call this route',
        code: 'platform_only',
      });

    const params = inputProblems(request.params ?? {});
    if (Object.keys(params).length) throw validationFailed(params);

    const accountParam = this.reflector.getAllAndOverride<string | undefined>(
      STRIPE_CONNECT_ACCOUNT_PARAM,
      targets,
    );
    if (accountParam && user) {
      const id = String(request.params?.[accountParam] ?? '');
      if (!(await this.accounts.findVisible(id, user))) throw new AccountNotFoundError(id);
    }

    const rest = { ...inputProblems(request.query ?? {}), ...inputProblems(request.body) };
    if (Object.keys(rest).length) throw validationFailed(rest);
    return true;
  }
}
