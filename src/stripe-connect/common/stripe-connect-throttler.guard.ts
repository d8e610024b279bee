import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerStorage } from '@nestjs/throttler';
import {
  STRIPE_CONNECT_OPTIONS,
  STRIPE_CONNECT_THROTTLER_STORAGE,
  STRIPE_CONNECT_USER,
} from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions, StripeConnectUser } from '../stripe-connect.options.js';

/**
 * Rate limits (@nestjs/throttler) on the routes that mint links, states and tokens or create accounts:
 * `rateLimit.limit` requests per `rateLimit.ttlMs` per route and caller (the user when signed in, else the
 * client IP); beyond it 429 with `Retry-After`. Placed after `StripeConnectAuthGuard`, which resolves the user.
 * `rateLimit: false` switches it off.
 */
@Injectable()
export class StripeConnectThrottlerGuard extends ThrottlerGuard {
  private readonly enabled: boolean;

  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) options: ResolvedStripeConnectOptions,
    @Inject(STRIPE_CONNECT_THROTTLER_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    const rateLimit = options.rateLimit;
    super(
      [{ name: 'default', limit: rateLimit?.limit ?? 1, ttl: rateLimit?.ttlMs ?? 1 }],
      storage,
      reflector,
    );
    this.enabled = rateLimit !== null;
  }

  protected override shouldSkip(_context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!this.enabled);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req[STRIPE_CONNECT_USER] as StripeConnectUser | undefined;
    if (user) return Promise.resolve(`user:${user.id}`);
    const ip = (req as { ip?: string }).ip;
    return Promise.resolve(`ip:${ip ?? 'unknown'}`);
  }
}
