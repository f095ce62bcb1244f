import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for the session cleanup (src/auth/sessions/session-purge.ts): it deletes sessions past
 * `expires_at` or revoked long ago, and refresh tokens past `expires_at`, a bounded batch at a time,
 * and each batch must find its rows without reading the whole table.
 */
export class SessionExpiryIndexes1795411200000 implements MigrationInterface {
  name = 'SessionExpiryIndexes1795411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'ix_sessions_expires_at', columnNames: ['expires_at'] }));
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'ix_sessions_revoked_at', columnNames: ['revoked_at'] }));
    await queryRunner.createIndex('refresh_tokens', new TableIndex({ name: 'ix_refresh_tokens_expires_at', columnNames: ['expires_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('refresh_tokens', 'ix_refresh_tokens_expires_at');
    await queryRunner.dropIndex('sessions', 'ix_sessions_revoked_at');
    await queryRunner.dropIndex('sessions', 'ix_sessions_expires_at');
  }
}
