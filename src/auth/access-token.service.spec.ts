import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '../config/app-config.js';
import { InvalidTokenError } from './auth-errors.js';
import { secretKeyId as keyId, secretKeyObject, SigningKeys } from '../signing-keys/signing-keys.js';
import type { SigningKeyStore } from '../signing-keys/signing-key-store.js';
import { AccessTokenService } from './access-token.service.js';

const CURRENT = 'current-key-0123456789abcdef0123456789abcdef';
const PREVIOUS = 'previous-key-0123456789abcdef0123456789abcde';

describe('AccessTokenService.findVerificationKey', () => {
  const config = { jwtAlgorithm: 'HS256', secretKey: CURRENT, previousSecretKeys: [PREVIOUS] } as AppConfig;
  const tokens = new AccessTokenService(new JwtService({}), config, new SigningKeys(config, {} as SigningKeyStore));
  const signed = (header: object, secret = CURRENT) => jwt.sign({ sub: 'x' }, secret, { algorithm: 'HS256', header: header as jwt.JwtHeader });

  it('chooses the key named by kid, and the current key when there is none', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect((await tokens.findVerificationKey(signed({ alg: 'HS256', kid: keyId(PREVIOUS) }, PREVIOUS))).equals(secretKeyObject(PREVIOUS))).toBe(true);
      expect((await tokens.findVerificationKey(signed({ alg: 'HS256', kid: keyId(CURRENT) }))).equals(secretKeyObject(CURRENT))).toBe(true);
      expect((await tokens.findVerificationKey(signed({ alg: 'HS256', typ: 'JWT' }))).equals(secretKeyObject(CURRENT))).toBe(true);
    }
  });

  it('refuses the same bad header every time, whatever it answered before', async () => {
    const bad = [`${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`, signed({ alg: 'HS256', kid: 'unknown' }), 'no-dots-at-all', signed({ alg: 'HS256', crit: ['exp'] })];
    for (let i = 0; i < 3; i += 1) {
      await tokens.findVerificationKey(signed({ alg: 'HS256' }));
      for (const token of bad) await expect(tokens.findVerificationKey(token)).rejects.toThrow(InvalidTokenError);
    }
  });
});
