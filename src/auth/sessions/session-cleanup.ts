// Deletes what no token check needs any more, so that the sessions and refresh_tokens tables stay
// the size of what is live (docs/architecture.md, "Data and migrations"):
// - sessions past their absolute lifetime, or revoked more than REVOKED_SESSION_RETENTION_MS ago,
//   with their refresh tokens;
// - refresh tokens past their idle lifetime that were never used. A used (retired) refresh token
//   stays as long as its session does: presenting it again is reuse, which ends the session
//   (RFC 9700 §4.14.2), and that must keep working while the session is live.
// A deleted session refuses its tokens as a revoked one does: an access token whose `sid` names no
// row is refused (SessionsService.isLiveSessionOf), a refresh token without a row is unknown.
//
// Every statement deletes at most `batchSize` rows and a run makes at most `maxStatements` of them,
// so one run's cost is bounded however much has piled up; what is left waits for the next run.
// The run repeats every SESSION_CLEANUP_INTERVAL_SECONDS (0: never), on every instance; on
// PostgreSQL an advisory lock lets one instance at a time do it, and the others skip their turn.
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { isPostgres } from '../../database/migrations/dialect.js';

/** Revoked sessions are kept this long after their revocation, to tell why a token was refused. */
export const REVOKED_SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The advisory lock's first key (any number other applications on the same PostgreSQL are unlikely
 * to use); the second is the hash of the schema, so that services in different schemas of one
 * database do not wait for each other.
 */
export const SESSION_CLEANUP_LOCK_KEY = 72_118_450;

export interface CleanupLimits {
  /** Rows one statement deletes at most. */
  batchSize: number;
  /** Statements one run makes at most. */
  maxStatements: number;
}

export const DEFAULT_CLEANUP_LIMITS: CleanupLimits = { batchSize: 500, maxStatements: 20 };

export type CleanupResult =
  | { skipped: true }
  | {
      skipped: false;
      sessions: number;
      refreshTokens: number;
      statements: number;
      /** False when the run stopped at `maxStatements` with rows left to delete. */
      complete: boolean;
    };

@Injectable()
export class SessionCleanup implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SessionCleanup');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CleanupResult> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.sessionCleanupIntervalSeconds;
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.runScheduled(), seconds * 1000);
    // The timer never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Before the database connections close: no new run, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * One run, unless another is under way: on this instance (then its result is shared) or, on
   * PostgreSQL, on another instance (then this one reports that it skipped).
   */
  run(limits: CleanupLimits = DEFAULT_CLEANUP_LIMITS): Promise<CleanupResult> {
    if (!this.running) {
      this.running = this.runOnce(limits).finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async runScheduled(): Promise<void> {
    try {
      const result = await this.run();
      if (result.skipped) this.logger.debug('Another instance is cleaning up sessions; skipped');
      else if (result.sessions + result.refreshTokens > 0) {
        this.logger.log({ msg: 'Deleted expired sessions and refresh tokens', sessions: result.sessions, refresh_tokens: result.refreshTokens, complete: result.complete });
      }
    } catch (error) {
      // The database may be away for a while; the next run tries again.
      this.logger.warn(`Session cleanup failed: ${(error as Error).message}`);
    }
  }

  private async runOnce(limits: CleanupLimits): Promise<CleanupResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // SQLite is a file on one host, whose writers the database serializes; instances sharing it
      // may run the cleanup together, and each statement deletes what is there, so no lock is
      // needed. PostgreSQL serves several hosts: a transaction-level advisory lock lets one
      // instance at a time clean up, and the others skip rather than wait. It ends with the
      // transaction, whatever happens to the run or the connection, so it can never be left held.
      if (isPostgres(runner)) {
        await runner.startTransaction();
        try {
          const [{ locked }] = await runner.query('SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema())) AS locked', [SESSION_CLEANUP_LOCK_KEY]);
          const result: CleanupResult = locked ? await this.deleteBatches(runner, limits) : { skipped: true };
          await runner.commitTransaction();
          return result;
        } catch (error) {
          await runner.rollbackTransaction().catch(() => undefined);
          throw error;
        }
      }
      return await this.deleteBatches(runner, limits);
    } finally {
      await runner.release();
    }
  }

  private async deleteBatches(runner: QueryRunner, { batchSize, maxStatements }: CleanupLimits): Promise<CleanupResult> {
    const now = Date.now();
    const revokedBefore = now - REVOKED_SESSION_RETENTION_MS;
    let statements = 0;
    /** Deletes `batchSize` rows at a time until fewer are left or the run's statements are spent; true when done. */
    const drain = async (remove: () => Promise<number>, count: (deleted: number) => void): Promise<boolean> => {
      while (statements < maxStatements) {
        statements += 1;
        const deleted = await remove();
        count(deleted);
        if (deleted < batchSize) return true;
      }
      return false;
    };
    const ended = '(s.expires_at <= :now OR s.revoked_at <= :revokedBefore)';
    const parameters = { now, revokedBefore, batchSize };
    const result = { skipped: false as const, sessions: 0, refreshTokens: 0, statements: 0, complete: false };

    // The refresh tokens of ended sessions first, so that deleting a session cascades to nothing
    // (a long refresh chain would otherwise make one statement delete many more rows than a batch).
    const tokensOfEnded = this.deleteBatch(
      runner,
      `DELETE FROM refresh_tokens WHERE id IN (SELECT t.id FROM refresh_tokens t WHERE t.session_id IN (SELECT s.id FROM sessions s WHERE ${ended}) LIMIT :batchSize)`,
      parameters,
    );
    const endedSessions = this.deleteBatch(runner, `DELETE FROM sessions WHERE id IN (SELECT s.id FROM sessions s WHERE ${ended} LIMIT :batchSize)`, parameters);
    const deadTokens = this.deleteBatch(
      runner,
      'DELETE FROM refresh_tokens WHERE id IN (SELECT t.id FROM refresh_tokens t WHERE t.expires_at <= :now AND t.used_at IS NULL LIMIT :batchSize)',
      parameters,
    );

    result.complete =
      (await drain(tokensOfEnded, (n) => (result.refreshTokens += n))) &&
      (await drain(endedSessions, (n) => (result.sessions += n))) &&
      (await drain(deadTokens, (n) => (result.refreshTokens += n)));
    result.statements = statements;
    return result;
  }

  /**
   * One statement, `DELETE … WHERE id IN (SELECT … LIMIT n)`, which reads alike on SQLite and
   * PostgreSQL (PostgreSQL has no `DELETE … LIMIT`); answers how many rows it deleted.
   */
  private deleteBatch(runner: QueryRunner, sql: string, parameters: Record<string, number>): () => Promise<number> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    return async () => (await runner.query(query, values, true)).affected ?? 0;
  }
}
