import { applyDecorators } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type Stripe from 'stripe';
import type { Account } from '../accounts/account.entity.js';
import type { StripeEvent } from './stripe-event.entity.js';

/** The prefix under which the library emits Stripe events on Nest's event emitter. */
export const STRIPE_EVENT_PREFIX = 'stripe';

/** An event type, or a pattern: `account.*` (one level below) or `account.**` (every level below). */
export type StripeEventPattern = Stripe.Event.Type | `${string}.*` | `${string}.**` | (string & {});

/** The Stripe event of a type, with its payload typed (`Stripe.AccountUpdatedEvent` for `account.updated`). */
export type StripeEventOf<T extends string> = T extends Stripe.Event.Type
  ? Extract<Stripe.Event, { type: T }>
  : Stripe.Event;

/** What a listener receives, after the built-in sync has committed. */
export interface StripeConnectEvent<T extends string = string> {
  /** The event as Stripe sent it. */
  event: StripeEventOf<T>;
  /** `event.data.object`, typed by event type (`Stripe.Account` for `account.updated`). */
  object: StripeEventOf<T>['data']['object'];
  /** The stored event (status, attempts, received time). */
  record: StripeEvent;
  /** The local connected account the event is about, when there is one. */
  account: Account | null;
}

/**
 * Runs the decorated method for Stripe events of a type or pattern, after the library's own sync has
 * committed. Listener errors are not swallowed: the event is kept as failed and Stripe redelivers it, so
 * listeners run at least once and must be idempotent.
 *
 *   @OnStripeEvent('account.updated')
 *   async onAccountUpdated({ object, account }: StripeConnectEvent<'account.updated'>) { … }
 */
export function OnStripeEvent(...patterns: StripeEventPattern[]): MethodDecorator {
  if (!patterns.length) throw new Error('OnStripeEvent needs at least one event type or pattern');
  // One @OnEvent per pattern: EventEmitter2 reads an array of names as one dotted name.
  return applyDecorators(
    ...patterns.map((pattern) =>
      OnEvent(`${STRIPE_EVENT_PREFIX}.${pattern}`, { suppressErrors: false }),
    ),
  );
}
