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

/** Verifies signature, algorithm and expiry; throws on any failure. */
export async function verifyAuthToken(secret: string, token: string): Promise<AuthClaims> {
  const { payload } = await jwtVerify(token, key(secret), { algorithms: [ALGORITHM] });
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new Error('token has no subject');
  }
  if (payload.role !== undefined && payload.role !== 'platform' && payload.role !== 'user') {
    throw new Error('token has an unknown role');
  }
  return payload as AuthClaims;
}
