// Where a bearer token is verified: signature, algorithm, lifetime, issuer and audience by
// passport-jwt, with the options and key of AccessTokenService, then the claims against the stored
// user and session, or client, by TokenChecks (docs/architecture.md, "Tokens and sessions: the
// rules"). Its result is the request's Caller. A token verified before is not verified again, only its lifetime
// (verified-tokens.ts); the claims are checked every time.
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Caller } from './auth-context.js';
import { AccessTokenService } from './access-token.service.js';
import { TokenChecks } from './token-checks.js';
import type { Claims } from './verified-tokens.js';

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    tokens: AccessTokenService,
    private readonly checks: TokenChecks,
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
  }

  /**
   * Passport's entry, overridden for speed: the one place this strategy steps outside passport-jwt.
   * A token verified before goes straight to its claims' check; any other is verified by
   * passport-jwt, which then calls `validate`. Either way the result is the same `Caller`.
   */
  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: unknown): void {
    const token = bearerToken(request);
    const claims = token === null ? undefined : this.checks.verifiedTokens.claimsOf(token);
    if (!claims) {
      super.authenticate(request, options);
      return;
    }
    // As passport-jwt answers for `validate`: a result is a success, a throw an error.
    this.checks.callerOf(claims).then(
      (auth) => this.success(auth),
      (error: Error) => this.error(error),
    );
  }

  /** Called by passport-jwt once the token's signature, algorithm, lifetime, issuer and audience hold. */
  async validate(request: FastifyRequest, claims: Claims): Promise<Caller> {
    const auth = await this.checks.callerOf(claims);
    // Passport's types name Express's request; Nest hands it Fastify's.
    const token = bearerToken(request as unknown as Parameters<Strategy['authenticate']>[0]);
    if (token !== null) this.checks.verifiedTokens.remember(token, claims);
    return auth;
  }
}
