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
    await setSecretHashNullable(queryRunner, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A public client has no secret, which the earlier schema cannot hold: it goes.
    await queryRunner.query('DELETE FROM oauth_clients WHERE secret_hash IS NULL');
    await setSecretHashNullable(queryRunner, false);
    await queryRunner.dropColumns('oauth_clients', ['first_party', 'is_public', 'redirect_uris']);
  }
}

/**
 * Changes the column as the database describes it, only its nullability: given a column written out
 * anew, TypeORM on PostgreSQL sees `varchar` differ from the `character varying` it reads back, and
 * drops and re-adds the column, losing every secret digest.
 */
async function setSecretHashNullable(queryRunner: QueryRunner, isNullable: boolean): Promise<void> {
  const table = await queryRunner.getTable('oauth_clients');
  const column = table?.findColumnByName('secret_hash');
  if (!table || !column) throw new Error('oauth_clients.secret_hash is missing');
  const changed = column.clone();
  changed.isNullable = isNullable;
  await queryRunner.changeColumn(table, column, changed);
}
