import type { StripeConnectUser } from '../stripe-connect.options.js';
import { PlatformOnlyError } from './stripe-connect.errors.js';
import { validationFailed } from './validation.js';

/** Refuses (403) a caller that is not the platform's back office. */
export function platformOnly(
  user: StripeConnectUser,
  message = 'Only the platform may move money between parties',
): void {
  if (!user.platform) throw new PlatformOnlyError(message);
}

/** The `Idempotency-Key` header, checked: 1 to 255 printable characters. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(header))
    throw validationFailed({ 'Idempotency-Key': ['must be 1 to 255 printable characters'] });
  return header;
}
