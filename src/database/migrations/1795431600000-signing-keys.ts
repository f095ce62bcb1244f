import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Key pairs for ES256 and RS256 tokens, shared by every instance (src/signing-keys). */
export class SigningKeys1795431600000 implements MigrationInterface {
  name = 'SigningKeys1795431600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'algorithm', type: 'varchar', length: '8' },
          { name: 'public_jwk', type: 'text' },
          { name: 'private_key', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'signs_from', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('signing_keys');
  }
}
