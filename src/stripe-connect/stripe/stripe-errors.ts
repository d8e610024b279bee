/**
 * Stripe's errors → the library's: status codes of the REST contract (DESIGN.md section 4) and Stripe's
 * `param` (`individual[dob][year]`) mapped onto the caller's request field (`individual.dob.year`).
 */
import Stripe from 'stripe';
import { StripeRequestError } from '../common/stripe-connect.errors.js';

/** `individual[dob][year]` → `individual.dob.year`; `ssn_last_4` → `ssnLast4`; roots renamed by `roots`. */
export function fieldForStripeParam(param: string, roots: Record<string, string> = {}): string {
  const segments = param.replace(/\]/g, '').split('[').filter(Boolean);
  const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const [root, ...rest] = segments;
  const renamed = roots[param] ?? roots[root];
  if (roots[param]) return roots[param];
  return [
    renamed ?? camel(root),
    ...rest.map((segment) => (/^\d+$/.test(segment) ? segment : camel(segment))),
  ].join('.');
}

/** How Stripe's `param` becomes a request field: renamed roots, or a function of the param. */
export type ParamMapping = Record<string, string> | ((param: string) => string);

/** Runs a Stripe call, turning its failure into a StripeRequestError; other errors pass through. */
export async function callStripe<T>(
  call: () => Promise<T>,
  mapping: ParamMapping = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStripeRequestError(error, mapping);
  }
}

export function toStripeRequestError(error: unknown, mapping: ParamMapping = {}): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const field = error.param
    ? typeof mapping === 'function'
      ? mapping(error.param)
      : fieldForStripeParam(error.param, mapping)
    : undefined;
  const base = { code: error.code, declineCode: error.decline_code, field, cause: error };
  if (error instanceof Stripe.errors.StripeCardError)
    return new StripeRequestError(402, error.message, base);
  if (error instanceof Stripe.errors.StripeRateLimitError)
    return new StripeRequestError(429, 'Stripe is rate limiting requests; retry later', {
      ...base,
      code: 'rate_limit',
    });
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    // Stripe's message quotes the key, which may be derived from internal ids: say it in our words.
    const message =
      error.statusCode === 409
        ? 'A request with this Idempotency-Key is still in progress; retry shortly'
        : 'This Idempotency-Key was already used for a different request';
    return new StripeRequestError(409, message, { code: 'idempotency_error', cause: error });
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    // A missing object named by the path is a 404; one named by a parameter (a payment method, a customer)
    // is a bad parameter: 400 on that field.
    const missingPathObject = error.statusCode === 404 && (!error.param || error.param === 'id');
    return new StripeRequestError(missingPathObject ? 404 : 400, error.message, base);
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new StripeRequestError(503, 'Stripe could not be reached; retry later', {
      code: 'stripe_unreachable',
      cause: error,
    });
  }
  // Authentication, permission and API errors: Stripe or our configuration failed, not the caller.
  return new StripeRequestError(502, 'Stripe could not complete the request', {
    code: 'stripe_error',
    cause: error,
  });
}
