// Demo data: loaded once whatever the number of restarts, never in production.
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { createTestDatabase, startApp, TEST_SECRET_KEY, type TestDatabase } from './support/test-app.js';

async function countRows(database: TestDatabase, env: Record<string, string> = {}) {
  const service = await startApp(database, env);
  try {
    const dataSource = service.app.get(DataSource);
    const [users] = await dataSource.query('SELECT COUNT(*) AS n FROM users');
    const [items] = await dataSource.query('SELECT COUNT(*) AS n FROM items');
    return { users: Number(users.n), items: Number(items.n) };
  } finally {
    await service.close();
  }
}

describe('demo data', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('loads the five demo users and the Foo item once, however often the service restarts', async () => {
    expect(await countRows(database)).toEqual({ users: 5, items: 1 });
    expect(await countRows(database)).toEqual({ users: 5, items: 1 });
  });

  it('lets two instances start together on a fresh database, migrating and loading once', async () => {
    const [first, second] = await Promise.all([startApp(database), startApp(database)]);
    try {
      const [users] = await first.app.get(DataSource).query('SELECT COUNT(*) AS n FROM users');
      const [migrations] = await second.app.get(DataSource).query('SELECT COUNT(*) AS n FROM migrations');
      expect(Number(users.n)).toBe(5);
      expect(Number(migrations.n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('stores the tutorial hash of johndoe byte for byte', async () => {
    const service = await startApp(database);
    try {
      const [row] = await service.app.get(DataSource).query("SELECT hashed_password FROM users WHERE username = 'johndoe'");
      expect(row.hashed_password).toBe(
        '$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc',
      );
    } finally {
      await service.close();
    }
  });

  it('loads nothing in production', async () => {
    const production = { NODE_ENV: 'production', DEMO_DATA: '', SECRET_KEY: `${TEST_SECRET_KEY}-production`, PUBLIC_URL: 'https://id.example.com' };
    expect(await countRows(database, production)).toEqual({ users: 0, items: 0 });
  });

  it('loads nothing when the service listens beyond loopback', async () => {
    expect(await countRows(database, { HOST: '0.0.0.0', DEMO_DATA: '', PUBLIC_URL: 'https://id.example.com' })).toEqual({ users: 0, items: 0 });
  });
});
