import { Injectable } from '@nestjs/common';
import type { OAuthClient } from '../clients/client.entity.js';
import type { RequestOrigin } from '../common/request-origin.js';
import { AppConfig } from '../config/app-config.js';
import { PasswordCheck } from '../credentials/password-check.js';
import { AuditLog } from '../observability/audit-log.js';
import { PasswordHasher } from '../password/password-hasher.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { emailNotVerified, inactiveUser, incorrectUsernameOrPassword, invalidRequest, tokenToRevokeMissing } from './auth-errors.js';
import type { RevokeRequest } from './dto/revoke-request.dto.js';
import type { ClientTokenResponse, TokenResponse } from './dto/token-response.dto.js';
import { formatScopes, grantClientScopes, grantScopes, scopesOfClaim, type Scope } from './scopes.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokenService } from './access-token.service.js';
import { AuthorizationCodes, invalidAuthorizationCode } from './authorization/authorization-codes.js';
import type { TokenForm } from './token-form.js';

/** The authorization_code grant's form. */
type AuthorizationCodeForm = Extract<TokenForm, { grant: 'authorization_code' }>;

export const authorizationCodeMissing = () => invalidRequest('The code is missing');
export const redirectUriMissing = () => invalidRequest('The redirect_uri is missing');
export const codeVerifierMissing = () => invalidRequest('The code_verifier is missing (PKCE is required)');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordCheck,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly codes: AuthorizationCodes,
  ) {}

  /**
   * The user whose password this is, checked by `PasswordCheck` (limits, equal time, audit). An
   * unknown name answers like a wrong password, so neither timing nor body tells which names exist.
   * A disabled user learns it only after giving the right password, as does, with
   * REQUIRE_VERIFIED_EMAIL, a user without a verified address. A hash of an outdated format or
   * parameters is replaced by a current one, now that the password is known.
   *
   * A verified address works as the username: no username holds an `@` (the sign-up pattern), so a
   * name with one that is no user's is looked up among verified addresses. The limits count against
   * the account either name leads to (PasswordCheck), so both share one account's allowance.
   */
  async authenticateUser(username: string, password: string, origin: RequestOrigin): Promise<User> {
    const user = (await this.users.findByUsername(username)) ?? (username.includes('@') ? await this.users.findByVerifiedEmail(username) : null);
    if (!(await this.passwords.matches(username, user, password, origin)) || !user) throw incorrectUsernameOrPassword();
    if (user.disabled) throw inactiveUser();
    if (this.config.mail.requireVerifiedEmail && !(user.email !== null && user.emailVerified)) throw emailNotVerified();
    if (this.hasher.needsRehash(user.hashedPassword)) {
      await this.users.replacePasswordHash(user, user.hashedPassword, await this.hasher.hash(password, origin.address));
    }
    return user;
  }

  /** Opens a session for `user` with the requested scopes the user may have (none asked: `me items`). */
  async login(user: User, requestedScopes: Scope[], origin: RequestOrigin): Promise<TokenResponse> {
    const scope = formatScopes(grantScopes(requestedScopes, user.isSuperuser));
    const { session, refreshToken } = await this.sessions.open(user, scope, origin);
    this.audit.record('login.succeeded', { username: user.username, user_id: user.id, session_id: session.id, scope }, origin);
    return this.tokenResponse(user, session.id, scope, refreshToken);
  }

  /** RFC 6749 §6: new tokens in the same session, never with a wider scope. */
  async refresh(refreshToken: string, requestedScopes: Scope[], origin: RequestOrigin, clientId?: string): Promise<TokenResponse> {
    const refreshed = await this.sessions.refresh(refreshToken, requestedScopes, origin, clientId);
    return this.tokenResponse(refreshed.user, refreshed.session.id, refreshed.scope, refreshed.refreshToken);
  }

  /**
   * RFC 6749 §4.1.3: the token pair of a login, in a new session bound to `client`, for a code that
   * `AuthorizationCodes.redeem` accepts. The scopes are those the user agreed to at /authorize.
   */
  async exchangeCode(form: AuthorizationCodeForm, client: OAuthClient, origin: RequestOrigin): Promise<TokenResponse> {
    if (form.code === undefined) throw authorizationCodeMissing();
    if (form.redirectUri === undefined) throw redirectUriMissing();
    if (form.codeVerifier === undefined) throw codeVerifierMissing();
    const code = await this.codes.redeem(form.code, { clientId: client.clientId, redirectUri: form.redirectUri, codeVerifier: form.codeVerifier }, origin);
    const user = await this.users.findById(code.userId);
    if (!user || user.disabled) throw invalidAuthorizationCode();
    const scope = formatScopes(grantScopes(scopesOfClaim(code.scope), user.isSuperuser));
    const { session, refreshToken } = await this.sessions.open(user, scope, origin, client.clientId);
    await this.codes.opened(code, session.id, origin);
    this.audit.record(
      'login.succeeded',
      { username: user.username, user_id: user.id, session_id: session.id, scope, client_id: client.clientId, grant_type: 'authorization_code' },
      origin,
    );
    return this.tokenResponse(user, session.id, scope, refreshToken);
  }

  /** RFC 6749 §4.4: an access token for the client itself, with no refresh token and no user. */
  clientCredentials(client: OAuthClient, requestedScopes: Scope[], origin: RequestOrigin): ClientTokenResponse {
    const scope = formatScopes(grantClientScopes(requestedScopes, scopesOfClaim(client.scope)));
    this.audit.record('client.token_issued', { client_id: client.clientId, scope }, origin);
    return { access_token: this.tokens.createClientAccessToken(client.clientId, scope), token_type: 'bearer', expires_in: this.tokens.expiresInSeconds, scope };
  }

  logout(sessionId: string, origin: RequestOrigin): Promise<boolean> {
    return this.sessions.revoke(sessionId, undefined, origin);
  }

  /** RFC 7009: whatever the token is, its session ends; an unknown or invalid token is no error. */
  async revoke(form: RevokeRequest, origin: RequestOrigin): Promise<void> {
    if (!form.token) throw tokenToRevokeMissing();
    const tryAccessTokenFirst = form.token_type_hint === 'access_token';
    const asAccessToken = async () => {
      const claims = await this.tokens.verifiedClaims(form.token!);
      return claims ? this.sessions.revoke(claims.sid, claims.uid, origin) : false;
    };
    const asRefreshToken = () => this.sessions.revokeByRefreshToken(form.token!, origin);
    const [first, second] = tryAccessTokenFirst ? [asAccessToken, asRefreshToken] : [asRefreshToken, asAccessToken];
    if (!(await first())) await second();
  }

  private tokenResponse(user: User, sessionId: string, scope: string, refreshToken: string): TokenResponse {
    return {
      access_token: this.tokens.createAccessToken(user, sessionId, scope),
      token_type: 'bearer',
      expires_in: this.tokens.expiresInSeconds,
      refresh_token: refreshToken,
      scope,
    };
  }
}
