import { describe, expect, it } from 'vitest';
import { clientIp } from './accounts.service.js';

describe('clientIp', () => {
  it('unmaps IPv4-mapped IPv6 addresses and keeps the others', () => {
    expect(clientIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientIp('::FFFF:203.0.113.9')).toBe('203.0.113.9');
    expect(clientIp('2001:db8::1')).toBe('2001:db8::1');
    expect(clientIp('198.51.100.4')).toBe('198.51.100.4');
    expect(clientIp(undefined)).toBe('0.0.0.0');
  });
});
