import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What the authorization code flow needs to know of a client: its redirect URIs (a JSON array in
 * text), whether it is public (an app that cannot keep a secret, so it has none) and whether it is
 * first-party. Existing clients stay as they were: confidential, not first-party, no redirect URIs.
 */
export class ClientRedirectUris1795435200000 implements MigrationInterface {
  name = 'ClientRedirectUris1795435200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_clients', [
      new TableColumn({ name: 'redirect_uris', type: 'text', default: "'[]'" }),
      new TableColumn({ name: 'is_public', type: 'boolean', default: false }),
      new TableColumn({ name: 'first_party', type: 'boolean', default: false }),
    ]);
    await queryRunner.changeColumn(
      'oauth_clients',
      'secret_hash',
      new TableColumn({ name: 'secret_hash', type: 'varchar', length: '64', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A public client has no secret, which the earlier schema cannot hold: it goes.
    await queryRunner.query('DELETE FROM oauth_clients WHERE secret_hash IS NULL');
    await queryRunner.changeColumn('oauth_clients', 'secret_hash', new TableColumn({ name: 'secret_hash', type: 'varchar', length: '64' }));
    await queryRunner.dropColumns('oauth_clients', ['first_party', 'is_public', 'redirect_uris']);
  }
}
