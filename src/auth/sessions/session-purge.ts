// One pass of the session cleanup: deletes what no token check needs any more, so that the
// sessions and refresh_tokens tables stay the size of what is live (docs/architecture.md, "Data and
// migrations"):
// - sessions past their absolute lifetime, or revoked more than REVOKED_SESSION_RETENTION_MS ago,
//   with their refresh tokens;
// - refresh tokens past their idle lifetime that were never used. A used (retired) refresh token
//   stays as long as its session does: presenting it again is reuse, which ends the session
//   (RFC 9700 §4.14.2), and that must keep working while the session is live.
// A deleted session refuses its tokens as a revoked one does: an access token whose `sid` names no
// row is refused (SessionsService.isLiveSessionOf), a refresh token without a row is unknown.
//
// Every statement deletes at most `batchSize` rows and a pass makes at most `maxStatements` of them,
// so one pass's cost is bounded however much has piled up; what is left waits for the next pass. On
// PostgreSQL an advisory lock lets one instance at a time make a pass, and the others skip theirs.
// When passes are made, and that one instance makes one at a time, is SessionCleanup's business.
import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
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
  /** Statements one pass makes at most. */
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
      /** False when the pass stopped at `maxStatements` with rows left to delete. */
      complete: boolean;
    };

@Injectable()
export class SessionPurge {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One deletion pass, bounded by `limits`; on PostgreSQL, `{ skipped: true }` while another instance
   * makes one.
   */
  async deleteEnded(limits: CleanupLimits = DEFAULT_CLEANUP_LIMITS): Promise<CleanupResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // SQLite is a file on one host, whose writers the database serializes; instances sharing it
      // may run the cleanup together, and each statement deletes what is there, so no lock is
      // needed. PostgreSQL serves several hosts: a transaction-level advisory lock lets one
      // instance at a time clean up, and the others skip rather than wait. It ends with the
      // transaction, whatever happens to the pass or the connection, so it can never be left held.
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
