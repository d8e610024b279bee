/**
 * The `state` of browser-facing routes that Stripe redirects to (Account Link refresh and return, the OAuth
 * callback): a short-lived, HMAC-signed token bound to the user, the purpose and, where there is one, the
 * account. It authenticates those routes instead of a JWT.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface StatePayload {
  /** What the state is for: `onboarding` (Account Links) or `oauth`. */
  purpose: 'onboarding' | 'oauth';
  userId: string;
  accountId?: string;
  /** Onboarding: the Account Link type the state was made for, so a refresh mints the same type. */
  linkType?: 'account_onboarding' | 'account_update';
  /** Onboarding: the route the state was made for (`refresh` or `return`); each route has its own state. */
  route?: 'refresh' | 'return';
  /** Unix seconds. */
  expiresAt: number;
  /** Random: lets a single-use state be remembered once used. */
  nonce: string;
}

export class InvalidStateError extends Error {}

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function createState(
  secret: string,
  payload: Omit<StatePayload, 'nonce' | 'expiresAt'>,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const full: StatePayload = {
    ...payload,
    expiresAt: Math.floor(now / 1000) + ttlSeconds,
    nonce: randomBytes(12).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(full)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** Checks signature, purpose and expiry; throws InvalidStateError otherwise. */
export function verifyState(
  secret: string,
  token: unknown,
  purpose: StatePayload['purpose'],
  now = Date.now(),
): StatePayload {
  const [body, signature, extra] = (typeof token === 'string' ? token : '').split('.');
  if (!body || !signature || extra !== undefined)
    throw new InvalidStateError('The state is missing or malformed');
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new InvalidStateError('The state is not valid');
  let payload: StatePayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StatePayload;
  } catch {
    throw new InvalidStateError('The state is malformed');
  }
  if (typeof payload !== 'object' || payload === null)
    throw new InvalidStateError('The state is malformed');
  if (payload.purpose !== purpose) throw new InvalidStateError('The state is for another purpose');
  if (typeof payload.expiresAt !== 'number' || payload.expiresAt < Math.floor(now / 1000))
    throw new InvalidStateError('The state has expired');
  return payload;
}
