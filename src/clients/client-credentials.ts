// What a client's credentials are made of, and how they are read and checked: ids and secrets made
// here, secrets kept only as SHA-256 digests and compared in constant time, and RFC 6749 §2.3.1's
// HTTP Basic header (`Basic base64(urlencode(id) ":" urlencode(secret))`) read strictly.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `client~` and 24 hex characters. Usernames match `^[\p{L}\p{N}_.-]+$`, so none holds a `~`. */
export const CLIENT_ID_PATTERN = /^client~[0-9a-f]{24}$/;

export function newClientId(): string {
  return `client~${randomBytes(12).toString('hex')}`;
}

/** 256 random bits in base64url: 43 characters. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a secret: its SHA-256 in hex. A 256-bit random secret needs no slow hash. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A digest that matches no secret's: what an unknown client's presented secret is compared with. */
const NO_CLIENT_DIGEST = Buffer.alloc(32);

/**
 * Whether `secret` is the one whose digest is `storedHash` (undefined for an unknown client, null
 * for a public client, which has no secret). The same digest and the same constant-time compare run
 * either way, so timing tells no client ids apart.
 */
export function secretMatches(secret: string, storedHash: string | null | undefined): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const known = typeof storedHash === 'string';
  const stored = known && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, 'hex') : NO_CLIENT_DIGEST;
  return timingSafeEqual(presented, stored) && known;
}

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An `Authorization: Basic …` header that cannot be read as client credentials. */
export class MalformedBasicCredentials extends Error {
  override name = 'MalformedBasicCredentials';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** application/x-www-form-urlencoded decoding (RFC 6749 appendix B): `+` is a space. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new MalformedBasicCredentials('invalid percent-encoding');
  }
}

/**
 * The client credentials of an `Authorization` header: undefined when it uses another scheme (or
 * there is none); MalformedBasicCredentials when it says Basic but is not base64 of `id:secret`
 * with both parts percent-encoded as RFC 6749 §2.3.1 requires.
 */
export function parseBasicCredentials(header: string | undefined): ClientCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*([^\s]+)(?:\s+(.*?))?\s*$/.exec(header);
  if (!match || match[1].toLowerCase() !== 'basic') return undefined;
  const encoded = match[2] ?? '';
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) throw new MalformedBasicCredentials('not base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw new MalformedBasicCredentials('no colon');
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === '' || clientSecret === '') throw new MalformedBasicCredentials('empty id or secret');
  return { clientId, clientSecret };
}

/** The header a client sends for `clientId` and `clientSecret` (for tests and documentation). */
export function basicCredentialsHeader(clientId: string, clientSecret: string): string {
  const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}
