// The few column definitions that differ between SQLite and PostgreSQL, so that one set of
// migrations serves both.
import type { QueryRunner, TableColumnOptions } from 'typeorm';

export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}

/** A creation or update time, filled in by the database when the row is written. */
export function timestampColumn(queryRunner: QueryRunner, name: string): TableColumnOptions {
  return isPostgres(queryRunner)
    ? { name, type: 'timestamp', default: 'now()' }
    : { name, type: 'datetime', default: "(datetime('now'))" };
}
