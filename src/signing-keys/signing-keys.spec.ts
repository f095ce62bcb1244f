import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';
import { publicJwkOf } from './jwk.js';
import type { SigningKey } from './signing-key.entity.js';
import { SigningKeyStore } from './signing-key-store.js';

const SECRET = '0f5c2a8e9d7b6c4a3f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a';

describe('publicJwkOf', () => {
  it("names the key by its RFC 7638 thumbprint (the RFC's own example)", () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    const key = createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });
    expect(publicJwkOf(key, 'RS256').kid).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('exports only the public members, even of a private key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(Object.keys(publicJwkOf(privateKey, 'ES256')).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });
});

describe('private key encryption', () => {
  it('opens only with the same secret and the same kid', () => {
    const sealed = encryptPrivateKey('-----BEGIN PRIVATE KEY-----', 'kid-1', SECRET);
    expect(decryptPrivateKey(sealed, 'kid-1', SECRET)).toBe('-----BEGIN PRIVATE KEY-----');
    expect(decryptPrivateKey(sealed, 'kid-2', SECRET)).toBeUndefined();
    expect(decryptPrivateKey(sealed, 'kid-1', `${SECRET}0`)).toBeUndefined();
    // One bit flipped in the ciphertext, then in the tag (re-encoded: the last base64url character of
    // a 16-byte tag carries unused bits, so editing the text itself may change nothing).
    for (const part of [2, 3]) {
      const parts = sealed.split('.');
      const bytes = Buffer.from(parts[part], 'base64url');
      bytes[0] ^= 1;
      parts[part] = bytes.toString('base64url');
      expect(decryptPrivateKey(parts.join('.'), 'kid-1', SECRET)).toBeUndefined();
    }
    expect(decryptPrivateKey('not ours', 'kid-1', SECRET)).toBeUndefined();
  });
});

describe('SigningKeyStore.lifetimes', () => {
  const MINUTE = 60_000;
  const config = { jwtAlgorithm: 'ES256', jwksMaxAgeSeconds: 300, accessTokenExpireMinutes: 30, secretKey: SECRET } as AppConfig;
  const store = new SigningKeyStore(config, {} as Repository<SigningKey>);
  const row = (kid: string, signsFrom: number) => ({ kid, signsFrom, createdAt: signsFrom }) as SigningKey;
  const until = (rows: SigningKey[]) => Object.fromEntries(store.lifetimes(rows).map(({ row: { kid }, publishedUntil }) => [kid, publishedUntil]));

  it('publishes a new key at once and signs with it after JWKS_MAX_AGE_SECONDS and a reload', () => {
    expect(store.publishLeadMs).toBe(300_000 + 60_000);
  });

  it('keeps a key published until its successor has signed for a token lifetime, a reload and the clock tolerance', () => {
    const now = Date.now();
    const startedAt = now - 10 * MINUTE;
    const lifetimes = until([row('old', now - 60 * MINUTE), row('current', startedAt), row('next', now + MINUTE)]);
    expect(lifetimes).toEqual({ next: Infinity, current: Infinity, old: startedAt + 60_000 + 30 * MINUTE + 30_000 });
  });

  it('keeps the current key published while its successor only waits to sign', () => {
    const now = Date.now();
    expect(until([row('current', now - MINUTE), row('next', now + MINUTE)])).toEqual({ current: Infinity, next: Infinity });
  });
});
