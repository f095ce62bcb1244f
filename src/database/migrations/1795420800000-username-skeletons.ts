import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { USERNAME_KEY_MAX_LENGTH, usernameSkeleton } from '../../users/username.js';
import { isPostgres } from './dialect.js';

/**
 * Each user's look-alike skeleton, unique so that no new name can look like another's. Existing
 * names keep working: where two of them already look alike, the older keeps the skeleton and the
 * newer gets none (it still logs in; only new names are held to the rule).
 */
export class UsernameSkeletons1795420800000 implements MigrationInterface {
  name = 'UsernameSkeletons1795420800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'username_skeleton', type: 'varchar', length: '255', isNullable: true }));
    const users: { id: string; username: string }[] = await queryRunner.query('SELECT id, username FROM users ORDER BY created_at, id');
    const update = isPostgres(queryRunner)
      ? 'UPDATE users SET username_skeleton = $1 WHERE id = $2'
      : 'UPDATE users SET username_skeleton = ? WHERE id = ?';
    const taken = new Set<string>();
    for (const user of users) {
      const skeleton = usernameSkeleton(user.username);
      if (taken.has(skeleton) || skeleton.length > USERNAME_KEY_MAX_LENGTH) continue;
      taken.add(skeleton);
      await queryRunner.query(update, [skeleton, user.id]);
    }
    await queryRunner.createIndex('users', new TableIndex({ name: 'uq_users_username_skeleton', columnNames: ['username_skeleton'], isUnique: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'uq_users_username_skeleton');
    await queryRunner.dropColumn('users', 'username_skeleton');
  }
}
