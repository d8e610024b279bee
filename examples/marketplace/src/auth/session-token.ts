/**
 * The marketplace's own sessions: `<user>.<role>.<HMAC-SHA256 of "user.role">`, signed with AUTH_SECRET. A real
 * app would use its identity provider; what matters here is that the library learns the caller via `getUser`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Role = 'seller' | 'buyer' | 'admin';
export interface SessionUser {
  id: string;
  role: Role;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROLES: readonly string[] = ['seller', 'buyer', 'admin'];

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signSessionToken(secret: string, user: SessionUser): string {
  if (!USER_ID.test(user.id)) throw new Error('A user id is 1 to 64 letters, digits, - or _');
  const body = `${user.id}.${user.role}`;
  return `${body}.${mac(secret, body)}`;
}

export function verifySessionToken(secret: string, token: string): SessionUser | null {
  const [id, role, signature, ...rest] = token.split('.');
  if (rest.length || !id || !role || !signature || !USER_ID.test(id) || !ROLES.includes(role)) {
    return null;
  }
  const expected = Buffer.from(mac(secret, `${id}.${role}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { id, role: role as Role };
}
