import { rateLimitKey } from './client-address.js';

describe('rateLimitKey', () => {
  it('counts IPv4 addresses one by one, mapped or not', () => {
    expect(rateLimitKey('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 addresses per /64', () => {
    expect(rateLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
    expect(rateLimitKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:0db8:0001:0002::/64');
    expect(rateLimitKey('2001:db8:1:3::1')).not.toBe(rateLimitKey('2001:db8:1:2::1'));
    expect(rateLimitKey('::1')).toBe('0000:0000:0000:0000::/64');
  });

  it('has a key for an unknown address', () => {
    expect(rateLimitKey(undefined)).toBe('unknown');
  });
});
