/**
 * One-time sign-in links to the onboarding pages. A login token is a JWT signed with a key derived from
 * AUTH_JWT_SECRET (so it is never accepted as a bearer token), short-lived, and carries a `jti` the pages'
 * session route accepts once. Pure functions: signing needs only the secret, never the database.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'onboarding-login';
const ALGORITHM = 'HS256';
/** How long a printed link stays valid. */
export const LOGIN_TOKEN_TTL_SECONDS = 10 * 60;

function loginKey(secret: string): Uint8Array {
  return createHmac('sha256', secret).update('nest-stripe-connect onboarding login').digest();
}

export async function signLoginToken(
  secret: string,
  userId: string,
  ttlSeconds = LOGIN_TOKEN_TTL_SECONDS,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(loginKey(secret));
}

export interface LoginClaims {
  userId: string;
  jti: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Verifies signature, audience and expiry; throws on any failure. */
export async function verifyLoginToken(secret: string, token: string): Promise<LoginClaims> {
  const { payload } = await jwtVerify(token, loginKey(secret), {
    algorithms: [ALGORITHM],
    audience: AUDIENCE,
  });
  if (typeof payload.sub !== 'string' || !payload.sub || typeof payload.jti !== 'string')
    throw new Error('login token without subject or id');
  return { userId: payload.sub, jti: payload.jti, expiresAt: payload.exp! };
}

/** The link that signs the user in: the token rides in the fragment, which browsers never send or log. */
export function onboardingSignInUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/onboarding/sign-in#token=${token}`;
}
