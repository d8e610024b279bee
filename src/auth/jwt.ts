import { jwtVerify, SignJWT, type JWTPayload } from 'jose';

/** The claims of the platform's bearer tokens (DESIGN.md section 3). */
export interface AuthClaims extends JWTPayload {
  /** The platform's user id. */
  sub: string;
  /** `platform` for the platform's back office; absent or `user` for a user. */
  role?: 'platform' | 'user';
}

const ALGORITHM = 'HS256';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signAuthToken(
  secret: string,
  userId: string,
  options: { platform?: boolean; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ role: options.platform ? 'platform' : 'user' })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(key(secret));
}

/** The longest a token may live (from `iat`, or from now without one) unless configured: one day. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * Verifies signature, algorithm and expiry; a token must have `exp`, and may not be made to live longer than
 * `maxLifetimeSeconds` (`exp - iat`, or `exp - now` without `iat`). Throws on any failure.
 */
export async function verifyAuthToken(
  secret: string,
  token: string,
  maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  now = Date.now(),
): Promise<AuthClaims> {
  const { payload } = await jwtVerify(token, key(secret), {
    algorithms: [ALGORITHM],
    requiredClaims: ['exp', 'sub'],
    currentDate: new Date(now),
  });
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : Math.floor(now / 1000);
  if (payload.iat !== undefined && issuedAt > Math.floor(now / 1000) + 60) {
    throw new Error('token is issued in the future');
  }
  if (payload.exp! - issuedAt > maxLifetimeSeconds) {
    throw new Error(`token lives longer than ${maxLifetimeSeconds} seconds`);
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new Error('token has no subject');
  }
  if (payload.role !== undefined && payload.role !== 'platform' && payload.role !== 'user') {
    throw new Error('token has an unknown role');
  }
  return payload as AuthClaims;
}
