// The rules a verified access token's claims must satisfy (docs/architecture.md, "Tokens and
// sessions: the rules"), stated once: the JWT strategy authenticates requests with them and
// introspection (RFC 7662) answers with them, so the two cannot disagree about a token.
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { ClientsService } from '../clients/clients.service.js';
import { UsersService } from '../users/users.service.js';
import { AccessTokenService } from './access-token.service.js';
import type { Caller } from './auth-context.js';
import { inactiveUser, InvalidTokenError } from './auth-errors.js';
import { scopesOfClaim } from './scopes.js';
import { SessionsService } from './sessions/sessions.service.js';
import { VerifiedTokens, type Claims } from './verified-tokens.js';

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** A token that passed every check: its claims and whom it speaks for. */
export interface CheckedToken {
  readonly claims: Readonly<Claims>;
  readonly caller: Caller;
}

@Injectable()
export class TokenChecks {
  /**
   * Tokens whose signature, algorithm, issuer and audience were verified once (verified-tokens.ts),
   * shared by the strategy and introspection. Only those checks are skipped for a remembered token.
   */
  readonly verifiedTokens: VerifiedTokens;
  private readonly clockToleranceSeconds: number;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
  ) {
    this.clockToleranceSeconds = tokens.verificationOptions.clockTolerance;
    this.verifiedTokens = new VerifiedTokens(this.clockToleranceSeconds);
  }

  /**
   * The caller of a token whose signature, algorithm, lifetime, issuer and audience hold, once its
   * claims hold against the stored user and session, or client. InvalidTokenError when they do not;
   * 400 Inactive user for a disabled user's token.
   */
  async callerOf(claims: Readonly<Claims>): Promise<Caller> {
    const { sub, uid, exp, iat, jti } = claims;
    if (!isNonEmptyString(sub) || typeof jti !== 'string' || !isPositiveInteger(exp) || !isPositiveInteger(iat)) {
      throw new InvalidTokenError('malformed claims');
    }
    if (iat > Date.now() / 1000 + this.clockToleranceSeconds) throw new InvalidTokenError('issued in the future');
    return uid === undefined && claims.client_id !== undefined ? this.clientCallerOf(claims) : this.userCallerOf(claims);
  }

  /**
   * For a token not yet verified by passport-jwt (introspection): the signature and the other
   * checks jsonwebtoken makes, skipped for a token remembered as verified, then `callerOf`.
   */
  async check(token: string): Promise<CheckedToken> {
    const remembered = this.verifiedTokens.claimsOf(token);
    if (remembered) return { claims: remembered, caller: await this.callerOf(remembered) };
    const verified = jwt.verify(token, await this.tokens.findVerificationKey(token), this.tokens.verificationOptions);
    if (typeof verified !== 'object') throw new InvalidTokenError('malformed claims');
    const caller = await this.callerOf(verified);
    this.verifiedTokens.remember(token, verified);
    return { claims: verified, caller };
  }

  private async userCallerOf(claims: Readonly<Claims>): Promise<Caller> {
    const { sub, uid, ver, sid } = claims;
    if (typeof uid !== 'string' || typeof sid !== 'string' || !isPositiveInteger(ver)) throw new InvalidTokenError('malformed claims');
    const [user, sessionLive] = await Promise.all([this.users.findForToken(uid), this.sessions.isLiveSessionOf(sid, uid)]);
    if (!user || user.username !== sub) throw new InvalidTokenError('stale token');
    // Before the version and the session: disabling bumps the version and so ends every session,
    // but while the user stays disabled their tokens answer "Inactive user", as the tutorial's do.
    if (user.disabled) throw inactiveUser();
    if (user.tokenVersion !== ver) throw new InvalidTokenError('stale token');
    if (!sessionLive) throw new InvalidTokenError('session ended');
    return { user, sessionId: sid, scopes: scopesOfClaim(claims.scope) };
  }

  /** A client_credentials token: `sub` and `client_id` are the client's id, and the client still exists. */
  private async clientCallerOf(claims: Readonly<Claims>): Promise<Caller> {
    const { sub, client_id: clientId } = claims;
    if (typeof clientId !== 'string' || clientId !== sub || claims.ver !== undefined || claims.sid !== undefined) {
      throw new InvalidTokenError('malformed claims');
    }
    const client = await this.clients.findForToken(clientId);
    if (!client) throw new InvalidTokenError('client deleted');
    return { client, scopes: scopesOfClaim(claims.scope) };
  }
}
