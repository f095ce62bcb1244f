// Where a bearer token is verified: signature, algorithm, lifetime, issuer and audience by
// passport-jwt, then the claims against the stored user (design.md §3). A token verified before is
// not verified again, only its lifetime (verified-tokens.ts); the claims are checked every time.
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { InvalidTokenError } from './auth-errors.js';
import { scopesOfClaim, type Scope } from './scopes.js';
import { SessionsService } from './sessions/sessions.service.js';
import { JWT_ALGORITHM, TokenService } from './token.service.js';
import { VerifiedTokens, type Claims } from './verified-tokens.js';

/** How far `nbf` and `iat` may lie in the future, for clocks that drift between machines. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** A request that passed the JWT strategy. */
export type AuthenticatedRequest = FastifyRequest & { user: User; tokenScopes: Scope[]; sessionId: string };

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verifiedTokens = new VerifiedTokens(CLOCK_TOLERANCE_SECONDS);

  constructor(
    config: AppConfig,
    tokens: TokenService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {
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
      algorithms: [JWT_ALGORITHM],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
      passReqToCallback: true,
    });
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
    if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) throw new InvalidTokenError('issued in the future');
    const [user, sessionLive] = await Promise.all([this.users.findForToken(uid), this.sessions.isLiveSessionOf(sid, uid)]);
    if (!user || user.username !== sub || user.tokenVersion !== ver) throw new InvalidTokenError('stale token');
    if (!sessionLive) throw new InvalidTokenError('session ended');
    request.tokenScopes = scopesOfClaim(claims.scope);
    request.sessionId = sid;
    return user;
  }
}
