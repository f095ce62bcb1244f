// Password hashes from other stacks: verified, re-hashed to argon2id at login, and imported from a
// file shaped like the tutorial's fake_users_db (`npm run users:import`: the admin CLI's import-users,
// run here from dist/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/users/users.service.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const CURRENT_ARGON2 = /^\$argon2id\$v=19\$m=65536,t=3,p=4\$/;
const DJANGO_SECRET = 'pbkdf2_sha256$260000$Q8Ww2bD9Kx1nEWmL$G0aSEIQzBPS6Oufm3Zs363KE50l573lXVuAm1P6xmiw=';
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

async function storedHash(service: TestApp, username: string): Promise<string> {
  const [row] = await service.app.get(DataSource).query(`SELECT hashed_password FROM users WHERE username = '${username}'`);
  return row.hashed_password;
}

describe('re-hashing at login', () => {
  let database: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it("replaces stanley's bcrypt hash with argon2id after he logs in, and he still logs in", async () => {
    expect(await storedHash(service, 'stanley')).toMatch(/^\$2b\$12\$/);
    await login(service.http, 'stanley', 'secret');
    expect(await storedHash(service, 'stanley')).toMatch(CURRENT_ARGON2);
    await login(service.http, 'stanley', 'secret');
  });

  it('leaves a current hash alone', async () => {
    const before = await storedHash(service, 'johndoe');
    await login(service.http, 'johndoe', 'secret');
    expect(await storedHash(service, 'johndoe')).toBe(before);
  });

  it('logs in a user with a Django pbkdf2_sha256 hash and re-hashes it', async () => {
    await service.http.post('/users/signup').send({ username: 'djangonaut', password: 'placeholder' }).expect(201);
    await service.app.get(DataSource).query(`UPDATE users SET hashed_password = '${DJANGO_SECRET}' WHERE username = 'djangonaut'`);
    await login(service.http, 'djangonaut', 'secret');
    expect(await storedHash(service, 'djangonaut')).toMatch(CURRENT_ARGON2);
  });

  it('never overwrites a password changed in the meantime (compare-and-set)', async () => {
    const users = service.app.get(UsersService);
    const mike = (await users.findByUsername('mike'))!;
    const seenAtLogin = mike.hashedPassword;
    await service.app.get(DataSource).query(`UPDATE users SET hashed_password = '${DJANGO_SECRET}' WHERE username = 'mike'`);
    expect(await users.replacePasswordHash(mike, seenAtLogin, '$argon2id$v=19$m=65536,t=3,p=4$stale$stale')).toBe(false);
    expect(await storedHash(service, 'mike')).toBe(DJANGO_SECRET);
  });
});

describe('npm run users:import', () => {
  let database: TestDatabase;
  let dir: string;

  const runImport = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'import-users', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });

  beforeEach(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'oauth2-import-'));
  });

  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  function writeUsers(users: unknown): string {
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify(users));
    return file;
  }

  // johndoe as the older tutorial (004_*.txt) stores him: passlib's bcrypt hash of "secret".
  const OLD_TUTORIAL_DB = {
    johndoe: {
      username: 'johndoe',
      full_name: 'John Doe',
      email: 'johndoe@example.com',
      hashed_password: '$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW',
      disabled: false,
    },
  };

  it('imports the older tutorial’s johndoe into an empty database; he logs in with "secret" and is stored as argon2id', async () => {
    const result = runImport(writeUsers(OLD_TUTORIAL_DB));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 imported');
    const service = await startApp(database, { DEMO_DATA: 'false' });
    try {
      expect(await storedHash(service, 'johndoe')).toBe(OLD_TUTORIAL_DB.johndoe.hashed_password);
      await login(service.http, 'johndoe', 'secret');
      expect(await storedHash(service, 'johndoe')).toMatch(CURRENT_ARGON2);
      const me = await service.http.get('/users/me');
      expect(me.status).toBe(401);
    } finally {
      await service.close();
    }
  });

  it('reports a name that exists and leaves it alone, unless --overwrite', async () => {
    const file = writeUsers(OLD_TUTORIAL_DB);
    runImport(file);
    const again = runImport(file);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('johndoe: exists, left alone');
    const overwritten = runImport(writeUsers({ johndoe: { ...OLD_TUTORIAL_DB.johndoe, full_name: 'Johnny' } }), '--overwrite');
    expect(overwritten.stdout).toContain('johndoe: replaced');
  });

  it('imports nothing when one record is bad, naming each problem', async () => {
    const result = runImport(
      writeUsers({
        ...OLD_TUTORIAL_DB,
        alice: { username: 'alice', hashed_password: 'plaintext-password' },
        signup: { hashed_password: OLD_TUTORIAL_DB.johndoe.hashed_password, disabled: 'no' },
      }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('alice: hashed_password is not an argon2, bcrypt or pbkdf2_sha256 hash');
    expect(result.stderr).toContain('signup: username "signup" is reserved');
    expect(result.stderr).toContain('signup: disabled must be true or false');
    expect(result.stderr).toContain('Nothing imported.');
    const service = await startApp(database, { DEMO_DATA: 'false' });
    try {
      const [row] = await service.app.get(DataSource).query('SELECT COUNT(*) AS n FROM users');
      expect(Number(row.n)).toBe(0);
    } finally {
      await service.close();
    }
  });
});
