import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

/** Expands an IPv6 address to its eight groups. */
function ipv6Groups(address: string): string[] {
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.padStart(4, '0').toLowerCase());
}

/**
 * Who a rate limit counts: an IPv4 address, or an IPv6 /64 (one subscriber usually holds a whole
 * /64, so counting single IPv6 addresses would be no limit at all).
 */
export function rateLimitKey(address: string | null | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address.split('%')[0]).slice(0, 4).join(':')}::/64`;
}

/** A short digest of `value`, for counter keys that must not hold a name or a long address. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

/** The client's part of a counter key: its rate-limit key, digested when long (an IPv6 /64). */
export function counterKeyOf(address: string | null): string {
  const key = rateLimitKey(address);
  return key.length > 40 ? digest(key) : key;
}
