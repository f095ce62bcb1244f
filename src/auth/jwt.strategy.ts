// Where a bearer token is verified: signature, algorithm, lifetime, issuer and audience by
// passport-jwt, with the options and key of AccessTokenService, then the claims against the stored
// user and session (docs/architecture.md, "Tokens and sessions: the rules"). Its result is the
// request's AuthContext. A token verified before is not verified again, only its lifetime
// (verified-tokens.ts); the claims are checked every time.
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { UsersService } from '../users/users.service.js';
import { inactiveUser, InvalidTokenError } from './auth-errors.js';
import type { AuthContext } from './auth-context.js';
import { scopesOfClaim } from './scopes.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokenService } from './access-token.service.js';
import { VerifiedTokens, type Claims } from './verified-tokens.js';

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verifiedTokens: VerifiedTokens;
  private readonly clockToleranceSeconds: number;

  constructor(
    tokens: AccessTokenService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {
    // passport-jwt copies algorithms, issuer and audience over its jsonWebTokenOptions, undefined
    // or not: they go at the top level, the rest (the clock tolerance) as jsonWebTokenOptions.
    const { algorithms, issuer, audience, ...jsonWebTokenOptions } = tokens.verificationOptions;
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: (_request: FastifyRequest, rawToken: string, done: (err: unknown, key?: string) => void) => {
        // passport-jwt's types say string | Buffer; jsonwebtoken takes a KeyObject, which is the point.
        tokens.findVerificationKey(rawToken).then((key) => done(null, key as unknown as string), done);
      },
      algorithms,
      issuer,
      audience,
      jsonWebTokenOptions,
      passReqToCallback: true,
    });
    this.clockToleranceSeconds = jsonWebTokenOptions.clockTolerance;
    this.verifiedTokens = new VerifiedTokens(this.clockToleranceSeconds);
  }

  /**
   * Passport's entry, overridden for speed: the one place this strategy steps outside passport-jwt.
   * A token verified before goes straight to its claims' check; any other is verified by
   * passport-jwt, which then calls `validate`. Either way the result is the same `AuthContext`.
   */
  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: unknown): void {
    const token = bearerToken(request);
    const claims = token === null ? undefined : this.verifiedTokens.claimsOf(token);
    if (!claims) {
      super.authenticate(request, options);
      return;
    }
    // As passport-jwt answers for `validate`: a result is a success, a throw an error.
    this.authContextFor(claims).then(
      (auth) => this.success(auth),
      (error: Error) => this.error(error),
    );
  }

  /** Called by passport-jwt once the token's signature, algorithm, lifetime, issuer and audience hold. */
  async validate(request: FastifyRequest, claims: Claims): Promise<AuthContext> {
    const auth = await this.authContextFor(claims);
    // Passport's types name Express's request; Nest hands it Fastify's.
    const token = bearerToken(request as unknown as Parameters<Strategy['authenticate']>[0]);
    if (token !== null) this.verifiedTokens.remember(token, claims);
    return auth;
  }

  /** The caller of a verified token, once its claims hold against the stored user and session. */
  private async authContextFor(claims: Readonly<Claims>): Promise<AuthContext> {
    const { sub, uid, ver, exp, iat, jti, sid } = claims;
    if (typeof sub !== 'string' || sub === '' || typeof uid !== 'string' || typeof jti !== 'string' || typeof sid !== 'string') {
      throw new InvalidTokenError('malformed claims');
    }
    if (!isPositiveInteger(ver) || !isPositiveInteger(exp) || !isPositiveInteger(iat)) {
      throw new InvalidTokenError('malformed claims');
    }
    if (iat > Date.now() / 1000 + this.clockToleranceSeconds) throw new InvalidTokenError('issued in the future');
    const [user, sessionLive] = await Promise.all([this.users.findForToken(uid), this.sessions.isLiveSessionOf(sid, uid)]);
    if (!user || user.username !== sub) throw new InvalidTokenError('stale token');
    // Before the version and the session: disabling bumps the version and so ends every session,
    // but while the user stays disabled their tokens answer "Inactive user", as the tutorial's do.
    if (user.disabled) throw inactiveUser();
    if (user.tokenVersion !== ver) throw new InvalidTokenError('stale token');
    if (!sessionLive) throw new InvalidTokenError('session ended');
    return { user, sessionId: sid, scopes: scopesOfClaim(claims.scope) };
  }
}
