import { createHash } from 'node:crypto';
import {
  basicCredentialsHeader,
  CLIENT_ID_PATTERN,
  hashClientSecret,
  MalformedBasicCredentials,
  newClientId,
  newClientSecret,
  parseBasicCredentials,
  secretMatches,
} from './client-credentials.js';

const USERNAME = /^[\p{L}\p{N}_.-]+$/u;
const basic = (decoded: string) => `Basic ${Buffer.from(decoded, 'utf8').toString('base64')}`;

describe('client ids', () => {
  it('are "client~" and 24 random hex characters', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^client~[0-9a-f]{24}$/);
  });

  it('can never be a username', () => {
    expect(newClientId()).not.toMatch(USERNAME);
    expect(CLIENT_ID_PATTERN.test('johndoe')).toBe(false);
  });
});

describe('client secrets', () => {
  it('are 256 random bits in base64url: 43 characters', () => {
    const secrets = new Set(Array.from({ length: 100 }, newClientSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256 in hex', () => {
    const secret = newClientSecret();
    expect(hashClientSecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hashClientSecret(secret)).not.toContain(secret);
  });

  it('match their own digest only', () => {
    const secret = newClientSecret();
    expect(secretMatches(secret, hashClientSecret(secret))).toBe(true);
    expect(secretMatches(`${secret}x`, hashClientSecret(secret))).toBe(false);
    expect(secretMatches(secret, hashClientSecret(newClientSecret()))).toBe(false);
  });

  it('never match for an unknown client, a public client or a damaged stored digest', () => {
    expect(secretMatches('', undefined)).toBe(false);
    expect(secretMatches(newClientSecret(), undefined)).toBe(false);
    expect(secretMatches('', null)).toBe(false);
    expect(secretMatches(newClientSecret(), null)).toBe(false);
    expect(secretMatches('x', 'not hex')).toBe(false);
  });
});

describe('parseBasicCredentials', () => {
  it('reads id and secret from RFC 6749 §2.3.1 Basic', () => {
    expect(parseBasicCredentials(basic('client~0123456789abcdef01234567:s3cret'))).toEqual({
      clientId: 'client~0123456789abcdef01234567',
      clientSecret: 's3cret',
    });
  });

  it('percent-decodes both parts, so a colon, a space or non-ASCII can be in them', () => {
    expect(parseBasicCredentials(basic('my%3Aclient:p%40ss%3Aword%20%C3%A9'))).toEqual({ clientId: 'my:client', clientSecret: 'p@ss:word é' });
    expect(parseBasicCredentials(basic('a+b:c+d'))).toEqual({ clientId: 'a b', clientSecret: 'c d' });
  });

  it('splits at the first colon: a colon left unencoded in the secret stays in it', () => {
    expect(parseBasicCredentials(basic('id:se:cret'))).toEqual({ clientId: 'id', clientSecret: 'se:cret' });
  });

  it('is the inverse of basicCredentialsHeader', () => {
    const secret = newClientSecret();
    expect(parseBasicCredentials(basicCredentialsHeader('client~x y:z', secret))).toEqual({ clientId: 'client~x y:z', clientSecret: secret });
  });

  it('accepts the scheme in any case and extra spaces around the credentials', () => {
    expect(parseBasicCredentials(`bAsIc   ${Buffer.from('a:b').toString('base64')}  `)).toEqual({ clientId: 'a', clientSecret: 'b' });
  });

  it('answers undefined with no header or another scheme', () => {
    expect(parseBasicCredentials(undefined)).toBeUndefined();
    expect(parseBasicCredentials('Bearer abc.def.ghi')).toBeUndefined();
    expect(parseBasicCredentials('')).toBeUndefined();
  });

  it.each([
    ['malformed base64', 'Basic not*base64!'],
    ['base64 of the wrong length', 'Basic YWJj='],
    ['no credentials at all', 'Basic'],
    ['a missing colon', basic('client-without-secret')],
    ['an empty id', basic(':secret')],
    ['an empty secret', basic('client:')],
    ['a bad percent-encoding', basic('client:%E0%A4%A')],
  ])('refuses %s as malformed', (_case, header) => {
    expect(() => parseBasicCredentials(header)).toThrow(MalformedBasicCredentials);
  });
});
