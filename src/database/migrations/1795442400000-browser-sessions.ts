import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Browsers signed in on the hosted login page of GET /authorize (src/auth/authorization): the
 * SHA-256 of each cookie's id, whose user and token version it stands for, and its end. Times are
 * epoch milliseconds.
 */
export class BrowserSessions1795442400000 implements MigrationInterface {
  name = 'BrowserSessions1795442400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'browser_sessions',
        columns: [
          { name: 'id_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'token_version', type: 'integer' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createIndex('browser_sessions', new TableIndex({ name: 'ix_browser_sessions_expires_at', columnNames: ['expires_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('browser_sessions');
  }
}
