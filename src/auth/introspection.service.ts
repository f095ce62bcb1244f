// RFC 7662 token introspection: whether a token would be accepted now, and what it says. Access
// tokens are judged by TokenChecks, the rules the JWT strategy applies to every request; refresh
// tokens by SessionsService, as a refresh would judge them (without using them). Any token that
// fails says `{"active": false}` and nothing more.
import { HttpException, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig } from '../config/app-config.js';
import { isClientCaller } from './auth-context.js';
import { InvalidTokenError } from './auth-errors.js';
import type { IntrospectionResponse } from './dto/introspection.dto.js';
import { formatScopes, scopesOfClaim } from './scopes.js';
import { SessionsService } from './sessions/sessions.service.js';
import { TokenChecks } from './token-checks.js';

export const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/** Longer than any token this service issues: not looked at. */
const MAX_TOKEN_LENGTH = 8192;

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** A token that fails the checks, as opposed to a failure to check it (the database down): that is not an answer. */
function isRefusal(error: unknown): boolean {
  return error instanceof InvalidTokenError || error instanceof jwt.JsonWebTokenError || error instanceof HttpException;
}

@Injectable()
export class IntrospectionService {
  constructor(
    private readonly checks: TokenChecks,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  /** Access tokens are JWTs (with dots); refresh tokens are base64url (without): the form tells which. */
  introspect(token: string): Promise<IntrospectionResponse> {
    if (token.length > MAX_TOKEN_LENGTH) return Promise.resolve(INACTIVE);
    return token.includes('.') ? this.accessToken(token) : this.refreshToken(token);
  }

  private async accessToken(token: string): Promise<IntrospectionResponse> {
    let checked;
    try {
      checked = await this.checks.check(token);
    } catch (error) {
      if (isRefusal(error)) return INACTIVE;
      throw error;
    }
    const { claims, caller } = checked;
    const common = {
      scope: formatScopes(caller.scopes),
      exp: claims.exp as number,
      iat: claims.iat as number,
      ...(typeof claims.client_id === 'string' ? { client_id: claims.client_id } : {}),
      token_type: 'Bearer',
      iss: claims.iss as string,
      aud: claims.aud as string,
    };
    if (isClientCaller(caller)) return { active: true, sub: caller.client.clientId, ...common };
    return { active: true, sub: caller.user.username, username: caller.user.username, ...common, sid: caller.sessionId };
  }

  private async refreshToken(token: string): Promise<IntrospectionResponse> {
    if (token === '') return INACTIVE;
    const live = await this.sessions.liveRefreshToken(token);
    if (!live) return INACTIVE;
    const { session, user, issuedAt, expiresAt } = live;
    return {
      active: true,
      sub: user.username,
      username: user.username,
      scope: formatScopes(scopesOfClaim(session.scope)),
      exp: toSeconds(expiresAt),
      iat: toSeconds(issuedAt),
      sid: session.id,
      token_type: 'refresh_token',
      iss: this.config.jwtIssuer,
      aud: this.config.jwtAudience,
    };
  }
}
