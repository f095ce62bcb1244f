import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { emailKey } from '../../users/email-address.js';
import { isPostgres } from './dialect.js';

/**
 * Verified email addresses, the single-use tokens of mailed links, and the outbox mail is sent
 * from. Every existing address is kept, unverified: as unverified addresses block nobody, two
 * accounts that share one today both keep it until one of them verifies it.
 */
export class MailAndEmailVerification1795424400000 implements MigrationInterface {
  name = 'MailAndEmailVerification1795424400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'email_key', type: 'varchar', length: '320', isNullable: true }),
      new TableColumn({ name: 'email_verified', type: 'boolean', default: false }),
      new TableColumn({ name: 'pending_email', type: 'varchar', length: '320', isNullable: true }),
    ]);
    const users: { id: string; email: string }[] = await queryRunner.query('SELECT id, email FROM users WHERE email IS NOT NULL');
    const update = isPostgres(queryRunner) ? 'UPDATE users SET email_key = $1 WHERE id = $2' : 'UPDATE users SET email_key = ? WHERE id = ?';
    for (const user of users) await queryRunner.query(update, [emailKey(user.email), user.id]);
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'uq_users_verified_email', columnNames: ['email_key'], isUnique: true, where: 'email_verified = TRUE' }),
    );
    await queryRunner.createIndex('users', new TableIndex({ name: 'ix_users_email_key', columnNames: ['email_key'] }));

    await queryRunner.createTable(
      new Table({
        name: 'account_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'purpose', type: 'varchar', length: '16' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'used_at', type: 'bigint', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_account_tokens_user', columnNames: ['user_id', 'purpose'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_account_tokens_user', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: 'bigint' },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_until', type: 'bigint', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '1000', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'done_at', type: 'bigint', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_outbox_due', columnNames: ['status', 'next_attempt_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox');
    await queryRunner.dropTable('account_tokens');
    await queryRunner.dropIndex('users', 'ix_users_email_key');
    await queryRunner.dropIndex('users', 'uq_users_verified_email');
    await queryRunner.dropColumns('users', ['pending_email', 'email_verified', 'email_key']);
  }
}
