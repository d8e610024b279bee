import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 characters: ids from different runs never collide and never follow a sequence. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i += 1) {
    // 62 * 4 = 248: reject the top bytes to keep the distribution uniform.
    if (bytes[i] < 248) out += ALPHABET[bytes[i] % 62];
  }
  return out.length === length ? out : out + randomToken(length - out.length);
}

/** A Stripe-style id: `acct_1Q…`, `cus_…`, `evt_1…` (prefix and 24 random characters). */
export function newId(prefix: string): string {
  return `${prefix}_1${randomToken(23)}`;
}
