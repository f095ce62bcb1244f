// Starts the real application (same factory as main.ts) on a real database: SQLite in a temporary
// file by default, or PostgreSQL in a fresh schema when TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';

export const TEST_SECRET_KEY = '9208d871964288b9e573f49dbb98cb5580aa34c7f94b5a59e6351eac859eefd0';

export interface TestDatabase {
  url: string;
  dialect: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/** A database of its own for one suite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const postgresUrl = process.env.TEST_DATABASE_URL;
  if (!postgresUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'oauth2-e2e-'));
    return { url: `sqlite:${join(dir, 'app.db')}`, dialect: 'sqlite', drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    dialect: 'postgres',
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The application on `database`, with demo data, a fixed key and high limits unless `env` says otherwise. */
export async function startApp(database: TestDatabase, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: TEST_SECRET_KEY,
    DATABASE_URL: database.url,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'error',
    // Limits high enough that a suite's own traffic never trips them; the brute-force suite sets its own.
    LOGIN_MAX_FAILURES: '10000',
    LOGIN_ADDRESS_MAX_FAILURES: '10000',
    SIGNUP_MAX_PER_ADDRESS: '10000',
    HASH_QUEUE_LIMIT: '1000',
    HASH_QUEUE_PER_ADDRESS: '1000',
    PASSWORD_CHECKS_PER_ADDRESS: '100000',
    MAX_SESSIONS_PER_USER: '100000',
    // Equal time for failed logins is the abuse suite's to test; elsewhere a wrong password answers at once.
    LOGIN_FAILURE_MIN_MS: '0',
    // Lowering thread priority would renice the test process's own threads; test/hashing-priority covers it.
    HASH_NICE: '0',
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  // Started: Nest's start-up logs, held until now (see createApp), go out as main.ts lets them.
  app.flushLogs();
  await app.getHttpAdapter().getInstance().ready();
  return { app, config, http: request(app.getHttpServer()), close: () => app.close() };
}

/** Logs in through `POST /token` and returns the access token. */
export async function login(http: TestApp['http'], username: string, password: string): Promise<string> {
  const response = await http.post('/token').type('form').send({ username, password }).expect(200);
  return response.body.access_token as string;
}

/** How many rows of `table` have `column` equal to `value`, read straight from the database. */
export async function countRows(service: TestApp, table: string, column: string, value: string): Promise<number> {
  const row = await service.app
    .get(DataSource)
    .createQueryBuilder()
    .select('COUNT(*)', 'n')
    .from(table, 't')
    .where(`t.${column} = :value`, { value })
    .getRawOne<{ n: string | number }>();
  return Number(row?.n);
}

/**
 * `database` migrated up to just before `migration`, as a service of that time left it: for suites
 * that store rows in an older schema and check what a later migration makes of them. The caller
 * destroys the data source.
 */
export async function migratedBefore(database: TestDatabase, migration: (typeof MIGRATIONS)[number]): Promise<DataSource> {
  const before = new DataSource({ ...dataSourceOptions(database.url), entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration)) });
  await before.initialize();
  await runMigrations(before);
  return before;
}
