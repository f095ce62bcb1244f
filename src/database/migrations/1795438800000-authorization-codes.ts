import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The authorization code flow (RFC 6749 §4.1 with PKCE): codes, stored as SHA-256 digests, each
 * bound to its client, redirect URI and challenge, and the session it was exchanged for; and the
 * client a session was issued to, which its refresh tokens are bound to. Times are epoch milliseconds.
 */
export class AuthorizationCodes1795438800000 implements MigrationInterface {
  name = 'AuthorizationCodes1795438800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'authorization_codes',
        columns: [
          { name: 'code_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'client_id', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'redirect_uri', type: 'text' },
          { name: 'code_challenge', type: 'varchar', length: '128' },
          { name: 'scope', type: 'varchar', length: '255' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'used_at', type: 'bigint', isNullable: true },
          { name: 'replayed_at', type: 'bigint', isNullable: true },
          { name: 'session_id', type: 'varchar', length: '36', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex('authorization_codes', new TableIndex({ name: 'authorization_codes_expires_at', columnNames: ['expires_at'] }));
    await queryRunner.addColumn('sessions', new TableColumn({ name: 'client_id', type: 'varchar', length: '64', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('sessions', 'client_id');
    await queryRunner.dropTable('authorization_codes');
  }
}
