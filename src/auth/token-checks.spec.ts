import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import type { OAuthClient } from '../clients/client.entity.js';
import type { ClientsService } from '../clients/clients.service.js';
import type { AppConfig } from '../config/app-config.js';
import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';
import type { SigningKeyStore } from '../signing-keys/signing-key-store.js';
import { SigningKeys } from '../signing-keys/signing-keys.js';
import { AccessTokenService } from './access-token.service.js';
import { InvalidTokenError } from './auth-errors.js';
import type { SessionsService } from './sessions/sessions.service.js';
import { TokenChecks } from './token-checks.js';

const SECRET = 'token-checks-key-0123456789abcdef0123456789abcdef';
const config = { jwtAlgorithm: 'HS256', secretKey: SECRET, previousSecretKeys: [], jwtIssuer: 'iss', jwtAudience: 'aud', accessTokenExpireMinutes: 30 } as unknown as AppConfig;
const CLIENT_ID = 'client~0123456789abcdef01234567';
const user = { id: 'u1', username: 'johndoe', tokenVersion: 0, disabled: false } as User;
const client = { clientId: CLIENT_ID, scope: 'me items' } as OAuthClient;

describe('TokenChecks', () => {
  let clients: Map<string, OAuthClient>;
  let checks: TokenChecks;
  let tokens: AccessTokenService;

  beforeEach(() => {
    clients = new Map([[CLIENT_ID, client]]);
    tokens = new AccessTokenService(new JwtService({ signOptions: { algorithm: 'HS256', issuer: 'iss', audience: 'aud' } }), config, new SigningKeys(config, {} as SigningKeyStore));
    const users = { findForToken: async (id: string) => (id === user.id ? user : null) } as unknown as UsersService;
    const sessions = { isLiveSessionOf: async (sid: string, uid: string) => sid === 's1' && uid === user.id } as unknown as SessionsService;
    const clientsService = { findForToken: async (id: string) => clients.get(id) ?? null } as unknown as ClientsService;
    checks = new TokenChecks(tokens, users, sessions, clientsService);
  });

  it("recognises a client's token and answers its client and scopes", async () => {
    const { caller } = await checks.check(tokens.createClientAccessToken(CLIENT_ID, 'items'));
    expect(caller).toEqual({ client, scopes: ['items'] });
  });

  it("refuses a deleted client's token", async () => {
    const token = tokens.createClientAccessToken(CLIENT_ID, 'items');
    clients.delete(CLIENT_ID);
    await expect(checks.check(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a client token whose sub is not its client_id', async () => {
    const claims = { ...(jwt.decode(tokens.createClientAccessToken(CLIENT_ID, 'items')) as object), sub: 'johndoe' };
    await expect(checks.callerOf(claims)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('checks a token with both uid and client_id as a user token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'johndoe', uid: 'u1', ver: 0, sid: 's1', jti: 'j', iat: now, exp: now + 60, client_id: CLIENT_ID, scope: 'me' };
    expect(await checks.callerOf(claims)).toEqual({ user, sessionId: 's1', scopes: ['me'] });
  });

  it('remembers a token it verified, and checks its claims again the next time', async () => {
    const token = tokens.createClientAccessToken(CLIENT_ID, 'me');
    await checks.check(token);
    expect(checks.verifiedTokens.claimsOf(token)).toMatchObject({ client_id: CLIENT_ID });
    clients.delete(CLIENT_ID);
    await expect(checks.check(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
