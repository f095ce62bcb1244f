// Sessions per user are capped (a login beyond MAX_SESSIONS_PER_USER ends the oldest), and ended
// sessions and dead refresh tokens are deleted in bounded batches, by one instance at a time.
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { RefreshToken } from '../src/auth/sessions/refresh-token.entity.js';
import { SessionCleanup } from '../src/auth/sessions/session-cleanup.js';
import { SESSION_CLEANUP_LOCK_KEY, type CleanupResult } from '../src/auth/sessions/session-purge.js';
import { Session } from '../src/auth/sessions/session.entity.js';
import { countRows, createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const INVALID_GRANT = { detail: 'Invalid refresh token', error: 'invalid_grant' };
const DAY = 24 * 60 * 60 * 1000;

describe('session limits and cleanup', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let dataSource: DataSource;
  let cleanup: SessionCleanup;

  const signUp = async (username: string) => {
    await http.post('/users/signup').send({ username, password: 'limits password' }).expect(201);
    const rows: { id: string }[] = await dataSource.query(`SELECT id FROM users WHERE username = '${username}'`);
    return rows[0].id;
  };
  const passwordLogin = async (username: string): Promise<Tokens> => {
    const response = await http.post('/token').type('form').send({ username, password: 'limits password' });
    expect(response.status).toBe(200);
    return response.body;
  };
  const refresh = (refreshToken: string) => http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const me = (accessToken: string) => http.get('/users/me').auth(accessToken, { type: 'bearer' });
  const sidOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;
  const liveSessions = async (accessToken: string) => (await http.get('/users/me/sessions').auth(accessToken, { type: 'bearer' }).expect(200)).body as unknown[];

  /** Sessions of `userId` written straight to the database, each with one unused refresh token. */
  const insertSessions = async (userId: string, count: number, fields: Partial<Session> = {}) => {
    const now = Date.now();
    const sessions = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      userId,
      scope: 'me items',
      tokenVersion: 0,
      createdAt: now - 60_000 + i,
      lastUsedAt: now - 60_000 + i,
      expiresAt: now + DAY,
      revokedAt: null,
      clientAddress: null,
      userAgent: null,
      ...fields,
    }));
    await dataSource.getRepository(Session).insert(sessions);
    await dataSource.getRepository(RefreshToken).insert(
      sessions.map((session) => ({
        id: randomUUID(),
        sessionId: session.id,
        tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        createdAt: now,
        expiresAt: Math.min(now + DAY, session.expiresAt),
        usedAt: null,
      })),
    );
    return sessions.map((session) => session.id);
  };
  /** Runs the cleanup until a run finishes what there is to delete; answers every run's result. */
  const cleanUpCompletely = async (limits?: { batchSize: number; maxStatements: number }) => {
    const results: CleanupResult[] = [];
    for (let run = 0; run < 100; run += 1) {
      const result = await cleanup.run(limits);
      results.push(result);
      if (!result.skipped && result.complete) return results;
    }
    throw new Error('the cleanup never completed');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { MAX_SESSIONS_PER_USER: '3' });
    http = service.http;
    dataSource = service.app.get(DataSource);
    cleanup = service.app.get(SessionCleanup);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('MAX_SESSIONS_PER_USER', () => {
    it('ends the oldest session at a login beyond the limit: its access token answers 401, its refresh token invalid_grant', async () => {
      await signUp('capped');
      const first = await passwordLogin('capped');
      // Read (and so remembered by this instance) as a live session just before it ends.
      expect((await me(first.access_token)).status).toBe(200);
      const others = [await passwordLogin('capped'), await passwordLogin('capped'), await passwordLogin('capped')];

      const refused = await me(first.access_token);
      expect([refused.status, refused.body, refused.headers['www-authenticate']]).toEqual([401, { detail: 'Could not validate credentials' }, 'Bearer']);
      const refreshed = await refresh(first.refresh_token);
      expect([refreshed.status, refreshed.body]).toEqual([400, INVALID_GRANT]);
      for (const tokens of others) {
        expect((await me(tokens.access_token)).status).toBe(200);
        expect((await refresh(tokens.refresh_token)).status).toBe(200);
      }
      expect(await liveSessions(others[2].access_token)).toHaveLength(3);
    });

    it('keeps the sessions of other users', async () => {
      await signUp('capped-neighbour');
      const neighbour = await passwordLogin('capped-neighbour');
      await signUp('capped-busy');
      for (let i = 0; i < 4; i += 1) await passwordLogin('capped-busy');
      expect((await me(neighbour.access_token)).status).toBe(200);
    });

    it('does not count ended sessions toward the limit', async () => {
      await signUp('capped-logout');
      const kept = await passwordLogin('capped-logout');
      for (let i = 0; i < 3; i += 1) {
        const tokens = await passwordLogin('capped-logout');
        await http.post('/logout').auth(tokens.access_token, { type: 'bearer' }).expect(204);
      }
      await passwordLogin('capped-logout');
      expect((await me(kept.access_token)).status).toBe(200);
    });

    it('brings a user holding far more sessions than the limit back to it at the next login, oldest ended first', async () => {
      const userId = await signUp('capped-many');
      const older = await insertSessions(userId, 20);
      const tokens = await passwordLogin('capped-many');
      const live = (await liveSessions(tokens.access_token)) as { id: string }[];
      expect(live.map((session) => session.id).sort()).toEqual([sidOf(tokens.access_token), older[19], older[18]].sort());
      expect(await countRows(service, 'sessions', 'user_id', userId)).toBe(21);
    });
  });

  describe('cleanup', () => {
    it('deletes expired and long-revoked sessions with their refresh tokens, and keeps live and recently revoked ones', async () => {
      const userId = await signUp('cleaned');
      const live = await passwordLogin('cleaned');
      const loggedOut = await passwordLogin('cleaned');
      await http.post('/logout').auth(loggedOut.access_token, { type: 'bearer' }).expect(204);
      const expired = await passwordLogin('cleaned');
      await dataSource.query(`UPDATE sessions SET expires_at = 1 WHERE id = '${sidOf(expired.access_token)}'`);
      const [revokedLongAgo] = await insertSessions(userId, 1, { revokedAt: Date.now() - 2 * DAY });

      await cleanUpCompletely();

      for (const sid of [sidOf(expired.access_token), revokedLongAgo]) {
        expect(await countRows(service, 'sessions', 'id', sid)).toBe(0);
        expect(await countRows(service, 'refresh_tokens', 'session_id', sid)).toBe(0);
      }
      expect(await countRows(service, 'sessions', 'id', sidOf(loggedOut.access_token))).toBe(1);
      expect(await countRows(service, 'sessions', 'id', sidOf(live.access_token))).toBe(1);
      expect((await me(live.access_token)).status).toBe(200);
      expect((await refresh(live.refresh_token)).status).toBe(200);
      // A deleted session brings back none of its tokens.
      expect((await me(expired.access_token)).status).toBe(401);
      expect((await refresh(expired.refresh_token)).body).toEqual(INVALID_GRANT);
      expect((await me(loggedOut.access_token)).status).toBe(401);
    });

    it('refuses an access token whose session row is gone, even one read a moment ago', async () => {
      await signUp('cleaned-now');
      const tokens = await passwordLogin('cleaned-now');
      expect((await me(tokens.access_token)).status).toBe(200);
      await dataSource.query(`DELETE FROM sessions WHERE id = '${sidOf(tokens.access_token)}'`);
      // This instance may reuse its read of the session for the second of docs/architecture.md,
      // "Caches and their bounds", no longer.
      const refused = await withinASecond(() => me(tokens.access_token), (response) => response.status !== 200);
      expect([refused.status, refused.body]).toEqual([401, { detail: 'Could not validate credentials' }]);
      expect(await countRows(service, 'refresh_tokens', 'session_id', sidOf(tokens.access_token))).toBe(0);
      expect((await refresh(tokens.refresh_token)).body).toEqual(INVALID_GRANT);
    });

    it('deletes refresh tokens unused past their idle lifetime, and keeps retired ones for reuse detection while their session is live', async () => {
      await signUp('cleaned-tokens');
      const first = await passwordLogin('cleaned-tokens');
      const sid = sidOf(first.access_token);
      const second: Tokens = (await refresh(first.refresh_token).expect(200)).body;
      const third = await passwordLogin('cleaned-tokens');
      // The first refresh token is retired; the third session's token dies unused.
      await dataSource.query(`UPDATE refresh_tokens SET expires_at = 1 WHERE session_id IN ('${sid}', '${sidOf(third.access_token)}') AND (used_at IS NOT NULL OR session_id = '${sidOf(third.access_token)}')`);

      await cleanUpCompletely();

      expect(await countRows(service, 'refresh_tokens', 'session_id', sidOf(third.access_token))).toBe(0);
      expect(await countRows(service, 'refresh_tokens', 'session_id', sid)).toBe(2);
      expect((await refresh(third.refresh_token)).body).toEqual(INVALID_GRANT);
      // Presenting the retired token again is still reuse: the whole session ends.
      expect((await refresh(first.refresh_token)).body).toEqual(INVALID_GRANT);
      expect((await me(second.access_token)).status).toBe(401);
      expect((await refresh(second.refresh_token)).body).toEqual(INVALID_GRANT);
    });

    it('deletes in batches: no statement deletes more than the batch size, no run makes more than its statements', async () => {
      const userId = await signUp('cleaned-in-batches');
      await insertSessions(userId, 7, { expiresAt: 1 });
      const [kept] = await insertSessions(userId, 1);
      const limits = { batchSize: 2, maxStatements: 3 };

      const results = await cleanUpCompletely(limits);

      expect(results.length).toBeGreaterThan(2);
      const [firstRun] = results;
      expect(firstRun).toMatchObject({ skipped: false, complete: false, statements: 3 });
      for (const result of results) {
        if (result.skipped) throw new Error('a lone instance never skips');
        expect(result.statements).toBeLessThanOrEqual(limits.maxStatements);
        expect(result.sessions + result.refreshTokens).toBeLessThanOrEqual(limits.batchSize * result.statements);
      }
      expect(await countRows(service, 'sessions', 'user_id', userId)).toBe(1);
      expect(await countRows(service, 'sessions', 'id', kept)).toBe(1);
      expect(await countRows(service, 'refresh_tokens', 'session_id', kept)).toBe(1);
    });
  });
});

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) console.warn('Skipping the two-instance cleanup test: it runs when TEST_DATABASE_URL names a PostgreSQL');

(postgres ? describe : describe.skip)('session cleanup on two instances sharing PostgreSQL', () => {
  let database: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let blocker: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    one = await startApp(database);
    two = await startApp(database);
    blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker?.end();
    await Promise.all([one?.close(), two?.close()]);
    await database?.drop();
  });

  /** Whether some connection holds the cleanup's advisory lock for this suite's schema. */
  const lockHeld = async () => {
    const { rows } = await blocker.query(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid AND objid = hashtext(current_schema())::oid AND objsubid = 2`,
      [SESSION_CLEANUP_LOCK_KEY],
    );
    return rows[0].n === 1;
  };

  it('lets one instance clean up while the other, running at the same moment, skips', async () => {
    const dataSource = one.app.get(DataSource);
    const [{ id: userId }] = await dataSource.query("SELECT id FROM users WHERE username = 'alice'");
    const sessionId = randomUUID();
    const now = Date.now();
    await dataSource.getRepository(Session).insert({
      id: sessionId, userId, scope: 'me', tokenVersion: 0, createdAt: now, lastUsedAt: now, expiresAt: 1, revokedAt: null, clientAddress: null, userAgent: null,
    });
    await dataSource.getRepository(RefreshToken).insert({ id: randomUUID(), sessionId, tokenHash: 'f'.repeat(64), createdAt: now, expiresAt: 1, usedAt: null });

    // Hold the refresh token's row, so that the first instance's run waits inside its lock.
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM refresh_tokens WHERE session_id = $1 FOR UPDATE', [sessionId]);
    const first = one.app.get(SessionCleanup).run();
    try {
      while (!(await lockHeld())) await new Promise((resolve) => setImmediate(resolve));
      expect(await two.app.get(SessionCleanup).run()).toEqual({ skipped: true });
    } finally {
      await blocker.query('COMMIT');
    }
    expect(await first).toMatchObject({ skipped: false, sessions: 1, refreshTokens: 1, complete: true });
    expect(await countRows(one, 'sessions', 'id', sessionId)).toBe(0);

    // The lock is released after the run: the other instance's next run does the work.
    expect(await two.app.get(SessionCleanup).run()).toMatchObject({ skipped: false, complete: true });
  });
});
