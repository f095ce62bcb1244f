import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampColumn } from './dialect.js';

export class InitialSchema1795402674432 implements MigrationInterface {
  name = 'InitialSchema1795402674432';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'username_key', type: 'varchar', length: '255' },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'full_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'hashed_password', type: 'text' },
          { name: 'disabled', type: 'boolean', default: false },
          { name: 'is_superuser', type: 'boolean', default: false },
          { name: 'token_version', type: 'integer', default: 0 },
          timestampColumn(queryRunner, 'created_at'),
          timestampColumn(queryRunner, 'updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_users_username_key', columnNames: ['username_key'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'items',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'item_id', type: 'varchar', length: '255' },
          { name: 'title', type: 'varchar', length: '255' },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'owner_id', type: 'varchar', length: '36' },
        ],
        indices: [
          new TableIndex({ name: 'uq_items_owner_item_id', columnNames: ['owner_id', 'item_id'], isUnique: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_items_owner',
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('items');
    await queryRunner.dropTable('users');
  }
}
