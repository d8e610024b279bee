import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signAuthToken, verifyAuthToken } from './jwt.js';

const SECRET = 'jwt-spec-secret-jwt-spec-secret-jwt-spec';
const key = new TextEncoder().encode(SECRET);

function token(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

describe('bearer tokens', () => {
  const now = Math.floor(Date.now() / 1000);

  it('accepts a token with sub and exp within the maximum lifetime', async () => {
    const claims = await verifyAuthToken(
      SECRET,
      await signAuthToken(SECRET, 'u1', { platform: true }),
    );
    expect(claims).toMatchObject({ sub: 'u1', role: 'platform' });
  });

  it('refuses a token without exp, platform role included', async () => {
    await expect(
      verifyAuthToken(SECRET, await token({ sub: 'ops', role: 'platform', iat: now })),
    ).rejects.toThrow(/exp/);
  });

  it('refuses a token that lives longer than the configured maximum', async () => {
    const long = await token({ sub: 'u1', iat: now, exp: now + 3 * 86_400 });
    await expect(verifyAuthToken(SECRET, long)).rejects.toThrow(/longer than 86400/);
    await expect(verifyAuthToken(SECRET, long, 4 * 86_400)).resolves.toMatchObject({ sub: 'u1' });
    const noIat = await token({ sub: 'u1', exp: now + 2 * 3600 });
    await expect(verifyAuthToken(SECRET, noIat, 3600)).rejects.toThrow(/longer than 3600/);
  });

  it('refuses a token issued in the future, an expired one, and one without sub', async () => {
    await expect(
      verifyAuthToken(SECRET, await token({ sub: 'u1', iat: now + 3600, exp: now + 7200 })),
    ).rejects.toThrow(/future/);
    await expect(
      verifyAuthToken(SECRET, await signAuthToken(SECRET, 'u1', { expiresIn: '-1m' })),
    ).rejects.toThrow();
    await expect(verifyAuthToken(SECRET, await token({ exp: now + 60 }))).rejects.toThrow(/sub/);
  });
});
