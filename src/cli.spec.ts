import { describe, expect, it } from 'vitest';
import { verifyAuthToken } from './auth/jwt.js';
import { runCli, runCliWithStatus, UsageError } from './cli.js';
import { parseDuration } from './cli/sandbox.command.js';
import { verifyLoginToken } from './onboarding-pages/login-token.js';
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
    await expect(runCli(['mint'], {})).rejects.toThrow("unknown command 'mint'");
    await expect(runCli(['token', 'u', '--role', 'x'], {})).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});

describe('cli help and exit codes', () => {
  it('prints help for the program and for every command, with exit code 0', async () => {
    const top = await runCliWithStatus(['--help'], {});
    expect(top.code).toBe(0);
    for (const command of [
      'token',
      'events:replay',
      'events:list',
      'accounts:sync',
      'sandbox',
      'onboarding-url',
    ])
      expect(top.output).toContain(command);
    for (const argv of [
      ['token', '--help'],
      ['events:replay', '--help'],
      ['events:list', '--help'],
      ['accounts:sync', '--help'],
      ['sandbox', '--help'],
      ['sandbox', 'status', '--help'],
      ['sandbox', 'clock', 'show', '--help'],
      ['sandbox', 'clock', 'advance', '--help'],
      ['sandbox', 'seed', '--help'],
      ['onboarding-url', '--help'],
    ]) {
      const { output, code } = await runCliWithStatus(argv, {});
      expect(code).toBe(0);
      expect(output).toContain(`Usage: npm run cli -- ${argv.slice(0, -1).join(' ')}`);
    }
  });

  it('answers usage errors (exit code 2) before doing any work', async () => {
    await expect(runCli(['events:list', '--status', 'lost'], {})).rejects.toThrow('--status');
    await expect(runCli(['events:list', '--limit', '0'], {})).rejects.toThrow('--limit');
    await expect(runCli(['accounts:sync', '--account', 'cus_1'], {})).rejects.toThrow('--account');
    await expect(runCli(['accounts:sync', '--concurrency', '65'], {})).rejects.toThrow(
      '--concurrency',
    );
    await expect(runCli(['sandbox', 'clock', 'advance', 'soon'], {})).rejects.toThrow('duration');
    await expect(
      runCli(['sandbox', 'status'], { PGLITE_DIR: '/nonexistent/nsc-cli' }),
    ).rejects.toThrow('No sandbox found');
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('36h')).toBe(129_600);
    expect(parseDuration('7d')).toBe(604_800);
    expect(() => parseDuration('-1')).toThrow(UsageError);
  });
});

describe('cli onboarding-url', () => {
  const secret = 'a-secret-of-thirty-two-characters-or-more';

  it('prints a one-time sign-in link to the pages at PUBLIC_URL, signed with a key bearer tokens do not use', async () => {
    const url = await runCli(['onboarding-url', 'seller-9'], {
      AUTH_JWT_SECRET: secret,
      PUBLIC_URL: 'https://market.example.com/',
    });
    const [address, token] = url.split('#token=');
    expect(address).toBe('https://market.example.com/onboarding/sign-in');
    const claims = await verifyLoginToken(secret, token);
    expect(claims.userId).toBe('seller-9');
    expect(claims.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(600);
    await expect(verifyAuthToken(secret, token)).rejects.toThrow();
    await expect(
      verifyLoginToken('another-secret-of-thirty-two-characters', token),
    ).rejects.toThrow();
  });

  it('uses http://localhost:<PORT> and the development secret by default, and needs one user id', async () => {
    const url = await runCli(['onboarding-url', 'dev'], { PORT: '4000' });
    expect(url.startsWith('http://localhost:4000/onboarding/sign-in#token=')).toBe(true);
    await expect(
      verifyLoginToken(DEVELOPMENT_JWT_SECRET, url.split('#token=')[1]),
    ).resolves.toMatchObject({ userId: 'dev' });
    await expect(runCli(['onboarding-url'], {})).rejects.toThrow('exactly one <userId>');
  });
});
