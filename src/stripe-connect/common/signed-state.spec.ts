import { describe, expect, it } from 'vitest';
import { createState, InvalidStateError, verifyState } from './signed-state.js';

describe('signed state', () => {
  const secret = 'state-secret';

  it('round-trips a state bound to user, account and purpose', () => {
    const state = createState(
      secret,
      { purpose: 'onboarding', userId: 'u1', accountId: 'acct_1' },
      600,
    );
    expect(verifyState(secret, state, 'onboarding')).toMatchObject({
      purpose: 'onboarding',
      userId: 'u1',
      accountId: 'acct_1',
    });
  });

  it('refuses a forged, tampered, expired, or other-purpose state', () => {
    const state = createState(secret, { purpose: 'oauth', userId: 'u1' }, 600);
    expect(() => verifyState('other-secret', state, 'oauth')).toThrow(InvalidStateError);
    const [body, signature] = state.split('.');
    const tampered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), userId: 'u2' }),
    ).toString('base64url');
    expect(() => verifyState(secret, `${tampered}.${signature}`, 'oauth')).toThrow('not valid');
    expect(() => verifyState(secret, state, 'onboarding')).toThrow('another purpose');
    const old = createState(secret, { purpose: 'oauth', userId: 'u1' }, 60, Date.now() - 120_000);
    expect(() => verifyState(secret, old, 'oauth')).toThrow('expired');
    expect(() => verifyState(secret, undefined, 'oauth')).toThrow('missing');
    expect(() => verifyState(secret, 'a.b.c', 'oauth')).toThrow('malformed');
  });
});
