import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** OAuth2 confidential clients (src/clients). Secrets are stored as SHA-256 digests; times are epoch milliseconds. */
export class OAuthClients1795428000000 implements MigrationInterface {
  name = 'OAuthClients1795428000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oauth_clients',
        columns: [
          { name: 'client_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'scope', type: 'varchar', length: '255' },
          { name: 'created_at', type: 'bigint' },
          { name: 'secret_rotated_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oauth_clients');
  }
}
