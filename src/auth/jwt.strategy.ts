// Where a bearer token is verified: signature, algorithm, lifetime, issuer and audience by
// passport-jwt, then the claims against the stored user (design.md §3). A token verified before is
// not verified again, only its lifetime (verified-tokens.ts); the claims are checked every time.
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { InvalidTokenError } from './auth-errors.js';
import { scopesOfClaim, type Scope } from './scopes.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokenService } from './access-token.service.js';
import { VerifiedTokens, type Claims } from './verified-tokens.js';

/** A request that passed the JWT strategy. */
export type AuthenticatedRequest = FastifyRequest & { user: User; tokenScopes: Scope[]; sessionId: string };

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
        try {
          // passport-jwt's types say string | Buffer; jsonwebtoken takes a KeyObject, which is the point.
          done(null, tokens.verificationKeyFor(rawToken) as unknown as string);
        } catch (error) {
          done(error);
        }
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
   * Passport's entry: a token verified before goes straight to the claims; any other is verified by
   * passport-jwt, which then calls `validate`.
   */
  override authenticate(passportRequest: Parameters<Strategy['authenticate']>[0], options?: unknown): void {
    // Passport's types name Express's request; Nest hands it Fastify's.
    const request = passportRequest as unknown as AuthenticatedRequest;
    const token = bearerToken(passportRequest);
    const claims = token === null ? undefined : this.verifiedTokens.claimsOf(token);
    if (!claims) {
      super.authenticate(passportRequest, options);
      return;
    }
    // As passport-jwt answers for `validate`: a user is a success, a throw an error.
    this.userFor(request, claims).then(
      (user) => this.success(user),
      (error: Error) => this.error(error),
    );
  }

  /** Called by passport-jwt once the token's signature, algorithm, lifetime, issuer and audience hold. */
  async validate(request: AuthenticatedRequest, claims: Claims): Promise<User> {
    const user = await this.userFor(request, claims);
    const token = bearerToken(request);
    if (token !== null) this.verifiedTokens.remember(token, claims);
    return user;
  }

  private async userFor(request: AuthenticatedRequest, claims: Readonly<Claims>): Promise<User> {
    const { sub, uid, ver, exp, iat, jti, sid } = claims;
    if (typeof sub !== 'string' || sub === '' || typeof uid !== 'string' || typeof jti !== 'string' || typeof sid !== 'string') {
      throw new InvalidTokenError('malformed claims');
    }
    if (!isPositiveInteger(ver) || !isPositiveInteger(exp) || !isPositiveInteger(iat)) {
      throw new InvalidTokenError('malformed claims');
    }
    if (iat > Date.now() / 1000 + this.clockToleranceSeconds) throw new InvalidTokenError('issued in the future');
    const [user, sessionLive] = await Promise.all([this.users.findForToken(uid), this.sessions.isLiveSessionOf(sid, uid)]);
    if (!user || user.username !== sub || user.tokenVersion !== ver) throw new InvalidTokenError('stale token');
    if (!sessionLive) throw new InvalidTokenError('session ended');
    request.tokenScopes = scopesOfClaim(claims.scope);
    request.sessionId = sid;
    return user;
  }
}
