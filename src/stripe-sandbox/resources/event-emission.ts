/** How resources record the events their changes cause. */
import type { RequestContext } from '../stripe-sandbox.js';
import { previousAttributes } from './params.js';

/** The `request` of an event: the API request that caused it, or none for the clock's work. */
export function requestOf(ctx: RequestContext | null): {
  id: string | null;
  idempotency_key: string | null;
} {
  return { id: ctx?.requestId ?? null, idempotency_key: ctx?.idempotencyKey ?? null };
}

/** Emits `type` for a change a request made, on the account `scope` (null: the platform). */
export function emitFrom(
  ctx: RequestContext,
  type: string,
  object: Record<string, unknown>,
  scope: string | null,
): void {
  ctx.sandbox.emit(type, object, { scope, request: requestOf(ctx) });
}

/** Emits `<type>` with `previous_attributes` when the object changed; answers the object as it is now. */
export function emitIfChanged(
  ctx: RequestContext,
  type: string,
  scope: string | null,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const previous = previousAttributes(before, after);
  if (previous)
    ctx.sandbox.emit(type, after, { scope, previousAttributes: previous, request: requestOf(ctx) });
  return after;
}
