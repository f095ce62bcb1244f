// Authorization codes (RFC 6749 §4.1.2 and §4.1.3, with PKCE, RFC 7636): issued by the
// authorization endpoint once the user has signed in and agreed, exchanged once at POST /token.
// A code lives CODE_LIFETIME_MS, is stored only as its SHA-256, and answers only to the client it
// was issued to, with the redirect URI it was sent to and the verifier of its challenge. A second
// use is refused and ends the session the first one opened (§4.1.2: the code may have been stolen).
import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, LessThan, type Repository } from 'typeorm';
import type { RequestOrigin } from '../../common/request-origin.js';
import { AuditLog } from '../../observability/audit-log.js';
import { formatScopes, type Scope } from '../scopes.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AuthorizationCode } from './authorization-code.entity.js';
import { verifierMatches } from './pkce.js';

/** RFC 6749 §4.1.2 recommends ten minutes at most; a browser redirect and one request need far less. */
export const CODE_LIFETIME_MS = 60_000;

/** How long a spent or expired code is kept, so that a late second use is still told apart and ends its session. */
const KEPT_AFTER_EXPIRY_MS = 60 * 60_000;

export const invalidAuthorizationCode = () =>
  new BadRequestException({ detail: 'Invalid authorization code', error: 'invalid_grant' });
export const redirectUriMismatch = () =>
  new BadRequestException({ detail: 'The redirect_uri is not the one of the authorization request', error: 'invalid_grant' });
export const codeVerifierMismatch = () =>
  new BadRequestException({ detail: 'The code_verifier does not match the code_challenge', error: 'invalid_grant' });

/** What a code is issued for: checked by the authorization endpoint before it asks for one. */
export interface CodeRequest {
  clientId: string;
  userId: string;
  /** As presented at /authorize (a loopback redirect URI's port may differ from the registered one). */
  redirectUri: string;
  /** S256. */
  codeChallenge: string;
  scopes: readonly Scope[];
}

/** What the exchange presents with the code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface CodeExchange {
  /** The authenticated (confidential) or named (public) client. */
  clientId: string;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
}

function digest(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

@Injectable()
export class AuthorizationCodes {
  constructor(
    @InjectRepository(AuthorizationCode) private readonly codes: Repository<AuthorizationCode>,
    private readonly sessions: SessionsService,
    private readonly audit: AuditLog,
  ) {}

  /** A new single-use code for `request`, 256 random bits in base64url, alive CODE_LIFETIME_MS. */
  async issue(request: CodeRequest): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.codes.insert({
      codeHash: digest(code),
      clientId: request.clientId,
      userId: request.userId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scope: formatScopes(request.scopes),
      createdAt: now,
      expiresAt: now + CODE_LIFETIME_MS,
      usedAt: null,
      replayedAt: null,
      sessionId: null,
    });
    // Codes are issued at the pace of sign-ins: each issue also sweeps the long-dead ones (indexed).
    await this.codes.delete({ expiresAt: LessThan(now - KEPT_AFTER_EXPIRY_MS) });
    return code;
  }

  /**
   * Spends `code` for `exchange` and answers what it was issued for, or refuses with invalid_grant:
   * a code that is unknown, of another client, used before (then the session of its first use
   * ends), expired, sent to another redirect URI, or whose challenge the verifier does not meet. Any
   * attempt spends the code, so a stolen code cannot be tried twice.
   */
  async redeem(code: string, exchange: CodeExchange, origin: RequestOrigin): Promise<AuthorizationCode> {
    const stored = await this.codes.findOneBy({ codeHash: digest(code) });
    if (!stored || stored.clientId !== exchange.clientId) throw invalidAuthorizationCode();
    const now = Date.now();
    const claimed = await this.codes.update({ codeHash: stored.codeHash, usedAt: IsNull() }, { usedAt: now });
    if (claimed.affected !== 1) {
      await this.replayed(stored, origin);
      throw invalidAuthorizationCode();
    }
    if (stored.expiresAt <= now) throw invalidAuthorizationCode();
    if (stored.redirectUri !== exchange.redirectUri) throw redirectUriMismatch();
    if (exchange.codeVerifier === undefined || !verifierMatches(exchange.codeVerifier, stored.codeChallenge)) throw codeVerifierMismatch();
    return stored;
  }

  /**
   * Records the session a redeemed code opened. A second use of the code between its redemption and
   * now found no session to end: then this one ends it, and the exchange is refused too.
   */
  async opened(code: AuthorizationCode, sessionId: string, origin: RequestOrigin): Promise<void> {
    await this.codes.update({ codeHash: code.codeHash }, { sessionId });
    const current = await this.codes.findOneBy({ codeHash: code.codeHash });
    if (current?.replayedAt === null) return;
    await this.sessions.revoke(sessionId, code.userId, origin);
    throw invalidAuthorizationCode();
  }

  private async replayed(code: AuthorizationCode, origin: RequestOrigin): Promise<void> {
    await this.codes.update({ codeHash: code.codeHash }, { replayedAt: Date.now() });
    const current = await this.codes.findOneBy({ codeHash: code.codeHash });
    const sessionId = current?.sessionId ?? undefined;
    const ended = sessionId !== undefined && (await this.sessions.revoke(sessionId, code.userId, origin));
    this.audit.record('authorization_code.replayed', { client_id: code.clientId, user_id: code.userId, session_id: sessionId, session_ended: ended }, origin);
  }
}
