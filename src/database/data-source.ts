// TypeORM settings for the two supported databases, chosen by DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions, type Migration } from 'typeorm';
import { AuthorizationCode } from '../auth/authorization/authorization-code.entity.js';
import { BrowserSession } from '../auth/authorization/browser-session.entity.js';
import { RefreshToken } from '../auth/sessions/refresh-token.entity.js';
import { Session } from '../auth/sessions/session.entity.js';
import { OAuthClient } from '../clients/client.entity.js';
import { Item } from '../items/item.entity.js';
import { OutboxMessage } from '../mail/outbox-message.entity.js';
import { SigningKey } from '../signing-keys/signing-key.entity.js';
import { AccountToken } from '../users/account-token.entity.js';
import { User } from '../users/user.entity.js';
import { MIGRATIONS } from './migrations/index.js';

export const ENTITIES = [User, Item, Session, RefreshToken, AccountToken, OutboxMessage, OAuthClient, SigningKey, AuthorizationCode, BrowserSession];

/** Any number that other applications on the same PostgreSQL are unlikely to lock. */
const MIGRATION_LOCK_KEY = 7_211_845_031;

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const database = databaseUrl.slice('sqlite:'.length);
    // timeout is SQLite's busy_timeout: a writer waits this long for another one instead of failing.
    return { type: 'better-sqlite3', database, enableWAL: true, timeout: 5000, ...common };
  }
  return {
    type: 'postgres',
    url: databaseUrl,
    // Fail fast when the database is away (the filter answers 503): a new connection may take 2 s,
    // a query 5 s, so no request hangs on a dead or partitioned server.
    extra: { max: 10, connectionTimeoutMillis: 2000, query_timeout: 5000 },
    ...common,
  };
}

/**
 * Runs pending migrations and returns the names of those it ran. On PostgreSQL an advisory lock
 * makes instances that start together take turns: the first migrates, the others then find nothing
 * left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'postgres') {
    return names(await dataSource.runMigrations({ transaction: 'all' }));
  }
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return names(await dataSource.runMigrations({ transaction: 'all' }));
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await lockHolder.release();
  }
}

function names(migrations: Migration[]): string[] {
  return migrations.map((migration) => migration.name);
}

/**
 * Connects `dataSource` and runs pending migrations; returns their names. SQLite creates its file
 * but not the folder it is in, so that is made first.
 */
export async function connectAndMigrate(dataSource: DataSource): Promise<string[]> {
  const { options } = dataSource;
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') mkdirSync(dirname(options.database), { recursive: true });
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await connectAndMigrate(dataSource);
  return dataSource;
}
