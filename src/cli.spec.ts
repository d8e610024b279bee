import { describe, expect, it } from 'vitest';
import { verifyAuthToken } from './auth/jwt.js';
import { runCli, UsageError } from './cli.js';
import { DEVELOPMENT_JWT_SECRET } from './config/app-config.js';

describe('cli token', () => {
  const secret = 'a-secret-of-thirty-two-characters-or-more';

  it('prints a user token signed with AUTH_JWT_SECRET', async () => {
    const token = await runCli(['token', 'user-7'], { AUTH_JWT_SECRET: secret });
    const claims = await verifyAuthToken(secret, token);
    expect(claims.sub).toBe('user-7');
    expect(claims.role).toBe('user');
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });

  it('prints a platform token with --platform and honours --expires-in', async () => {
    const token = await runCli(['token', '--expires-in', '1h', 'ops', '--platform'], {
      AUTH_JWT_SECRET: secret,
    });
    const claims = await verifyAuthToken(secret, token);
    expect(claims).toMatchObject({ sub: 'ops', role: 'platform' });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('uses the development secret when none is configured', async () => {
    const token = await runCli(['token', 'dev'], {});
    await expect(verifyAuthToken(DEVELOPMENT_JWT_SECRET, token)).resolves.toMatchObject({
      sub: 'dev',
    });
  });

  it('refuses a missing user id or an unknown command', async () => {
    await expect(runCli(['token'], {})).rejects.toBeInstanceOf(UsageError);
    await expect(runCli(['mint'], {})).rejects.toThrow('unknown command "mint"');
  });
});
