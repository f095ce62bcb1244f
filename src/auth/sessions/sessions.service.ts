// Login sessions: opened at login, extended by refresh-token rotation, ended by logout, revocation,
// expiry or the reuse of a retired refresh token (which ends the whole session, RFC 9700 §4.14.2).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type Repository } from 'typeorm';
import type { RequestOrigin } from '../../common/request-origin.js';
import { RecentReads, TOKEN_READS_TTL_MS } from '../../common/recent-reads.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditLog } from '../../observability/audit-log.js';
import { User } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { inactiveUser } from '../auth-errors.js';
import { formatScopes, grantScopes, scopesOfClaim, type Scope } from '../scopes.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';

export const invalidRefreshToken = () =>
  new BadRequestException({ detail: 'Invalid refresh token', error: 'invalid_grant' });

export const scopeBeyondSession = () =>
  new BadRequestException({ detail: 'Requested scope exceeds the scope of the session', error: 'invalid_scope' });


export interface IssuedSession {
  session: Session;
  refreshToken: string;
}

/** A live refresh token's session and user, and its own times (epoch ms), for introspection. */
export interface LiveRefreshToken {
  session: Session;
  user: User;
  issuedAt: number;
  expiresAt: number;
}

export interface RefreshedSession extends IssuedSession {
  user: User;
  scope: string;
}

/** A session's token version is still its user's: the session has not been ended by a bump. */
const CURRENT_VERSION = 'u.token_version = s.token_version';

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most this many sessions end at one login for being beyond the per-user limit. */
export const SESSION_LIMIT_BATCH = 500;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class SessionsService {
  /**
   * Sessions as every bearer token checks them, read at most TOKEN_READS_TTL_MS ago
   * (docs/architecture.md, "Caches and their bounds"): a revocation made on another instance holds
   * here within that second. Changes made by this service are seen at once: `write` forgets the
   * sessions they touch.
   */
  private readonly recentReads = new RecentReads<string, Session | null>(TOKEN_READS_TTL_MS);

  /**
   * Refresh tokens by hash, as introspection reads them, read at most TOKEN_READS_TTL_MS ago: a use
   * on another instance holds here within that second; `refresh` forgets the token it uses at once.
   * Revocations end sessions, which `recentReads` covers.
   */
  private readonly refreshTokenReads = new RecentReads<string, RefreshToken | null>(TOKEN_READS_TTL_MS);

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  /** A new session of `user` with `scope`; bound to `clientId` when a client's code opened it. */
  async open(user: User, scope: string, origin: RequestOrigin, clientId: string | null = null): Promise<IssuedSession> {
    const now = Date.now();
    const session = this.sessions.create({
      id: randomUUID(),
      userId: user.id,
      scope,
      tokenVersion: user.tokenVersion,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + this.config.refreshTokenMaxDays * DAY,
      revokedAt: null,
      clientAddress: origin.address,
      userAgent: origin.userAgent?.slice(0, 512) ?? null,
      clientId,
    });
    await this.write({ ids: [session.id] }, () => this.sessions.insert(session));
    const refreshToken = await this.issueRefreshToken(session, now);
    await this.endSessionsBeyondLimit(session, origin);
    return { session, refreshToken };
  }

  /**
   * Keeps a user at `maxSessionsPerUser` live sessions: the newest others stay beside `kept` (the one
   * just opened), the older ones end as at a logout. Two statements whatever the number: the ids of
   * at most SESSION_LIMIT_BATCH oldest sessions beyond the limit, then one update of those. A limit
   * lowered far below what users already hold is reached over their next few logins.
   */
  private async endSessionsBeyondLimit(kept: Session, origin: RequestOrigin): Promise<void> {
    const now = Date.now();
    const excess = await this.sessions
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.user_id = :userId AND s.id <> :kept AND s.revoked_at IS NULL AND s.expires_at > :now', { userId: kept.userId, kept: kept.id, now })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .offset(this.config.maxSessionsPerUser - 1)
      .limit(SESSION_LIMIT_BATCH)
      .getRawMany<{ id: string }>();
    if (excess.length === 0) return;
    const ids = excess.map((row) => row.id);
    const result = await this.write({ ids }, () => this.sessions.update({ id: In(ids), revokedAt: IsNull() }, { revokedAt: now }));
    this.audit.record(
      'session.ended',
      { reason: 'session_limit', user_id: kept.userId, session_ids: ids, sessions: result.affected ?? ids.length },
      origin,
    );
  }

  /**
   * Exchanges a refresh token for a new one in the same session. Exactly one of several concurrent
   * exchanges of one token wins (a compare-and-set on `used_at`); the others are reuse, and reuse
   * ends the session, the winner's new tokens included.
   */
  async refresh(refreshToken: string, requested: Scope[], origin: RequestOrigin, clientId?: string): Promise<RefreshedSession> {
    const now = Date.now();
    const stored = await this.refreshTokens.findOneBy({ tokenHash: hashToken(refreshToken) });
    if (!stored) throw invalidRefreshToken();
    const session = await this.sessions.findOneBy({ id: stored.sessionId });
    if (!session || !this.isLive(session, now)) throw invalidRefreshToken();
    // RFC 6749 §6: a refresh token issued to a client is refreshed by that client alone (the caller
    // has authenticated a confidential client, or named a public one), without being spent.
    if (session.clientId !== null && session.clientId !== clientId) throw invalidRefreshToken();
    if (stored.usedAt !== null) return this.reuseDetected(session, origin);
    if (stored.expiresAt <= now) throw invalidRefreshToken();

    const user = await this.users.findById(session.userId);
    if (!user) throw invalidRefreshToken();
    // Before the version: disabling bumps it, but a disabled user's refresh answers "Inactive user".
    if (user.disabled) throw inactiveUser();
    if (user.tokenVersion !== session.tokenVersion) throw invalidRefreshToken();
    const sessionScopes = scopesOfClaim(session.scope);
    if (requested.some((scope) => !sessionScopes.includes(scope))) throw scopeBeyondSession();
    const scope = formatScopes(grantScopes(requested.length > 0 ? requested : sessionScopes, user.isSuperuser));

    const claimed = await this.refreshTokens.update({ id: stored.id, usedAt: IsNull() }, { usedAt: now });
    this.refreshTokenReads.forget(stored.tokenHash);
    if (claimed.affected !== 1) return this.reuseDetected(session, origin);
    await this.write({ ids: [session.id] }, () =>
      this.sessions.update({ id: session.id }, { lastUsedAt: now, clientAddress: origin.address, userAgent: origin.userAgent?.slice(0, 512) ?? null }),
    );
    return { user, scope, session, refreshToken: await this.issueRefreshToken(session, now) };
  }

  /** True when `sessionId` is a live session of user `userId`: what every access token is checked against. */
  async isLiveSessionOf(sessionId: string, userId: string): Promise<boolean> {
    const session = await this.recentSession(sessionId);
    return session !== null && session.userId === userId && this.isLive(session, Date.now());
  }

  /** The session `id`, read at most TOKEN_READS_TTL_MS ago (`recentReads`). */
  private recentSession(id: string): Promise<Session | null> {
    return this.recentReads.get(id, () => this.sessions.findOneBy({ id }));
  }

  /**
   * Read-only: the session and user of `refreshToken` if it would be accepted by a refresh now
   * (unused, unexpired, its session live and of its user's current token version, its user
   * enabled); undefined otherwise. Reads as bearer tokens do, at most a second old.
   */
  async liveRefreshToken(refreshToken: string): Promise<LiveRefreshToken | undefined> {
    const tokenHash = hashToken(refreshToken);
    const stored = await this.refreshTokenReads.get(tokenHash, () => this.refreshTokens.findOneBy({ tokenHash }));
    const now = Date.now();
    if (!stored || stored.usedAt !== null || stored.expiresAt <= now) return undefined;
    const session = await this.recentSession(stored.sessionId);
    if (!session || !this.isLive(session, now)) return undefined;
    const user = await this.users.findForToken(session.userId);
    if (!user || user.disabled || user.tokenVersion !== session.tokenVersion) return undefined;
    return { session, user, issuedAt: stored.createdAt, expiresAt: stored.expiresAt };
  }

  /** Ends one session (of `userId`, when given); false when there is no such live session. */
  async revoke(sessionId: string, userId: string | undefined, origin: RequestOrigin): Promise<boolean> {
    // Session ids are UUIDs; anything else (a NUL byte, which PostgreSQL refuses) matches none.
    if (!SESSION_ID.test(sessionId)) return false;
    // A session of an outdated token version has ended already (listLive), so it is not found here either.
    const result = await this.write({ ids: [sessionId] }, () =>
      this.sessions
        .createQueryBuilder()
        .update(Session)
        .set({ revokedAt: Date.now() })
        .where('id = :sessionId AND revoked_at IS NULL', { sessionId })
        .andWhere(userId ? 'user_id = :userId' : '1 = 1', { userId })
        .andWhere('token_version = (SELECT users.token_version FROM users WHERE users.id = sessions.user_id)')
        .execute(),
    );
    if (result.affected !== 1) return false;
    this.audit.record('session.ended', { session_id: sessionId, user_id: userId }, origin);
    return true;
  }

  /** "Log out everywhere". */
  async revokeAll(userId: string, origin: RequestOrigin): Promise<void> {
    const result = await this.write({ userId }, () => this.sessions.update({ userId, revokedAt: IsNull() }, { revokedAt: Date.now() }));
    this.audit.record('sessions.ended_all', { user_id: userId, sessions: result.affected ?? undefined }, origin);
  }

  /** Ends the session a refresh token belongs to, if it is one. */
  async revokeByRefreshToken(refreshToken: string, origin: RequestOrigin): Promise<boolean> {
    const stored = await this.refreshTokens.findOneBy({ tokenHash: hashToken(refreshToken) });
    return stored ? this.revoke(stored.sessionId, undefined, origin) : false;
  }

  /**
   * The user's live sessions, newest first. A session opened before the user's token version was
   * last bumped (a new password, a change of the superuser flag, disabling, an import over the name)
   * has ended though its row is not marked revoked: its tokens all fail, so it is not listed.
   */
  listLive(userId: string): Promise<Session[]> {
    return this.sessions
      .createQueryBuilder('s')
      .innerJoin(User, 'u', `u.id = s.user_id AND ${CURRENT_VERSION}`)
      .where('s.user_id = :userId AND s.revoked_at IS NULL AND s.expires_at > :now', { userId, now: Date.now() })
      .orderBy('s.createdAt', 'DESC')
      .getMany();
  }

  private isLive(session: Session, now: number): boolean {
    return session.revokedAt === null && session.expiresAt > now;
  }

  private async reuseDetected(session: Session, origin: RequestOrigin): Promise<never> {
    this.audit.record('token.refresh_reuse', { session_id: session.id, user_id: session.userId }, origin);
    await this.revoke(session.id, undefined, origin);
    throw invalidRefreshToken();
  }

  /**
   * Every write to `sessions` goes through here: once it is done (committed or failed), the recent
   * reads of the sessions it touched, named by id or by their user, are forgotten, so no writer has
   * to remember to.
   */
  private async write<T>(touched: { ids: readonly string[] } | { userId: string }, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      if ('ids' in touched) for (const id of touched.ids) this.recentReads.forget(id);
      else await this.recentReads.forgetWhere((session) => session?.userId === touched.userId);
    }
  }

  private async issueRefreshToken(session: Session, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      id: randomUUID(),
      sessionId: session.id,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: Math.min(now + this.config.refreshTokenIdleMinutes * MINUTE, session.expiresAt),
      usedAt: null,
    });
    return token;
  }
}
