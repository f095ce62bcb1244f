import { jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import passport from 'passport';
import type { ClientsService } from '../clients/clients.service.js';
import type { AppConfig } from '../config/app-config.js';
import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';
import type { AuthContext } from './auth-context.js';
import { InvalidTokenError } from './auth-errors.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokenChecks } from './token-checks.js';
import type { SessionsService } from './sessions/sessions.service.js';
import { AccessTokenService } from './access-token.service.js';
import type { SigningKeyStore } from '../signing-keys/signing-key-store.js';
import { SigningKeys } from '../signing-keys/signing-keys.js';

const SECRET = 'strategy-key-0123456789abcdef0123456789abcdef';
const config = { jwtAlgorithm: 'HS256', secretKey: SECRET, previousSecretKeys: [], jwtIssuer: 'iss', jwtAudience: 'aud' } as unknown as AppConfig;
const user = { id: 'u1', username: 'johndoe', tokenVersion: 1, disabled: false } as User;

function tokenFor(claims: object = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ sub: 'johndoe', uid: 'u1', ver: 1, jti: 'j1', sid: 's1', iat: now, exp: now + 600, iss: 'iss', aud: 'aud', ...claims }, SECRET, {
    algorithm: 'HS256',
  });
}

/** Runs Passport's `jwt` strategy on a request carrying `token`, as the guard does. */
function authenticate(token: string): Promise<{ error: unknown; auth: AuthContext | false | undefined }> {
  return new Promise((resolve) => {
    const request = { headers: { authorization: `Bearer ${token}` } };
    passport.authenticate('jwt', { session: false }, (error: unknown, auth: AuthContext | false) => resolve({ error, auth }))(request, {}, () => undefined);
  });
}

describe('JwtStrategy', () => {
  let sessionLive: boolean;
  let reads: number;
  /**
   * Signature checks, counted where the strategy asks the token service for the key to check a
   * token's signature with: a token that skips the check never asks.
   */
  let verifier: jest.SpiedFunction<AccessTokenService['findVerificationKey']>;

  beforeEach(() => {
    sessionLive = true;
    reads = 0;
    const tokens = new AccessTokenService(new JwtService({}), config, new SigningKeys(config, {} as SigningKeyStore));
    verifier = jest.spyOn(tokens, 'findVerificationKey');
    const users = { findForToken: async () => (reads++, user) } as unknown as UsersService;
    const sessions = { isLiveSessionOf: async () => sessionLive } as unknown as SessionsService;
    const clients = { findForToken: async () => null } as unknown as ClientsService;
    new JwtStrategy(tokens, new TokenChecks(tokens, users, sessions, clients));
  });

  afterEach(() => jest.restoreAllMocks());

  it('verifies a token once, and reads its user and session on every request', async () => {
    const token = tokenFor();
    for (let i = 0; i < 3; i += 1) expect(await authenticate(token)).toEqual({ error: null, auth: { user, sessionId: 's1', scopes: [] } });
    expect(verifier).toHaveBeenCalledTimes(1);
    expect(reads).toBe(3);
  });

  it('refuses a verified token once its session has ended', async () => {
    const token = tokenFor({ jti: 'j2' });
    expect((await authenticate(token)).auth).toMatchObject({ user });
    sessionLive = false;
    const { error, auth } = await authenticate(token);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(auth).toBeFalsy();
  });

  it('does not remember a token that failed, nor take a forged one for a remembered one', async () => {
    sessionLive = false;
    const token = tokenFor({ jti: 'j3' });
    expect((await authenticate(token)).error).toBeInstanceOf(InvalidTokenError);
    sessionLive = true;
    expect((await authenticate(token)).auth).toMatchObject({ user });
    expect(verifier).toHaveBeenCalledTimes(2);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    expect((await authenticate(forged)).auth).toBeFalsy();
  });

  it('checks the claims of a remembered token again', async () => {
    const token = tokenFor({ jti: 'j4' });
    expect((await authenticate(token)).auth).toMatchObject({ user });
    user.tokenVersion = 2;
    try {
      expect((await authenticate(token)).error).toBeInstanceOf(InvalidTokenError);
    } finally {
      user.tokenVersion = 1;
    }
  });

  it("verifies with the token service's options: its issuer, audience and algorithm, and its clock tolerance", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [{ iss: 'other' }, { aud: 'other' }, { nbf: now + 40 }]) {
      expect((await authenticate(tokenFor({ jti: `bad-${JSON.stringify(claims)}`, ...claims }))).auth).toBeFalsy();
    }
    const hs384 = jwt.sign({ sub: 'johndoe', uid: 'u1', ver: 1, jti: 'j5', sid: 's1', iat: now, exp: now + 600, iss: 'iss', aud: 'aud' }, SECRET, { algorithm: 'HS384' });
    expect((await authenticate(hs384)).auth).toBeFalsy();
    expect((await authenticate(tokenFor({ jti: 'j6', nbf: now + 20 }))).auth).toMatchObject({ user });
  });

  it("gives the token's user, session and scopes as one context, the scopes frozen and shared between requests", async () => {
    const token = tokenFor({ jti: 'j7', scope: 'me items' });
    const first = (await authenticate(token)).auth as AuthContext;
    const second = (await authenticate(token)).auth as AuthContext;
    expect(first).toEqual({ user, sessionId: 's1', scopes: ['me', 'items'] });
    expect(Object.isFrozen(first.scopes)).toBe(true);
    expect(second.scopes).toBe(first.scopes);
  });
});
