// The admin CLI as an operator meets it: the built `node dist/cli/main.js` run as a child process
// on a real database (SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL is set),
// its effects checked through the real service on the same database. `npm test` builds dist/ first.
// The service is another process's view of the database, so like a second instance it may reuse a
// token's user for up to TOKEN_READS_TTL_MS after the CLI changed it (docs/architecture.md,
// "Caches and their bounds").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { TOKEN_READS_TTL_MS } from '../src/common/recent-reads.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const TTY_RUN = join(process.cwd(), 'test', 'support', 'tty_run.py');
const CURRENT_ARGON2 = /^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const PASSWORD_HINT = 'Passwords are read from a prompt, or from the first line of stdin, never from the command line.';
// johndoe as the older tutorial stores him: passlib's bcrypt hash of "secret".
const JOHNDOE_BCRYPT = '$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW';

let database: TestDatabase;
let dir: string;

/**
 * How long a run of the CLI may take before it counts as hung: a run takes a second or two, and
 * spawnSync holds the event loop, so this stays below the 120 s a test may take.
 */
const CLI_DEADLINE_MS = 90_000;

/** The CLI in an empty directory (so no .env is read), on the suite's database; `stdin` is piped. */
function cli(args: string[], stdin = '', env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, ...env },
    input: stdin,
    encoding: 'utf8',
    timeout: CLI_DEADLINE_MS,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI on a pseudo-terminal: answers each prompt in turn; returns everything the screen showed. */
function cliAtTerminal(args: string[], answers: [prompt: string, answer: string][]) {
  const result = spawnSync('python3', [TTY_RUN, ...answers.flat(), '--', process.execPath, CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url },
    encoding: 'utf8',
    timeout: CLI_DEADLINE_MS,
  });
  return { status: result.status, screen: Buffer.from(result.stdout, 'base64').toString('utf8') };
}

/** The audit lines the CLI wrote on stderr (JSON, one a line). */
function auditLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits until the service can no longer be reusing what it read about a token at `lastUse`. */
async function pastRecentReads(lastUse: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastUse + TOKEN_READS_TTL_MS + 50 - Date.now())));
}

async function storedUser(service: TestApp, username: string) {
  const [row] = await service.app.get(DataSource).query(`SELECT * FROM users WHERE username = '${username}'`);
  return row as { hashed_password: string; disabled: boolean | number; is_superuser: boolean | number; token_version: number } | undefined;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first (npm test does)');
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'oauth2-cli-'));
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

describe('migrate', () => {
  it('applies the pending migrations of a new database and says how many', () => {
    const result = cli(['migrate']);
    expect(result).toEqual({
      status: 0,
      stdout: `Applied ${MIGRATIONS.length} migrations: ${MIGRATIONS.map((migration) => migration.name).join(', ')}.\n`,
      stderr: '',
    });
  });

  it('says so when there is nothing left to do', () => {
    expect(cli(['migrate'])).toEqual({ status: 0, stdout: 'No pending migrations: the database is up to date.\n', stderr: '' });
  });
});

describe('with the service running on the same database', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startApp(database, { DEMO_DATA: 'false' });
  });

  afterAll(async () => {
    await service?.close();
  });

  describe('create-user and create-superuser', () => {
    it('creates a user whose password, piped on stdin, logs in through the service', async () => {
      const result = cli(['create-user', 'alice', '--email', 'alice@example.com', '--full-name', 'Alice Liddell'], 'down the rabbit hole\n');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('Created user alice.\n');
      // The audit line, on stderr: the CLI as the actor, never the password.
      expect(auditLines(result.stderr)).toEqual([
        expect.objectContaining({ level: 'info', audit: 'admin.user_created', actor: expect.stringMatching(/^cli:./), username: 'alice', is_superuser: false }),
      ]);
      expect(result.stderr).not.toContain('rabbit hole');
      const token = await login(service.http, 'alice', 'down the rabbit hole');
      const me = await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toEqual({ username: 'alice', email: 'alice@example.com', full_name: 'Alice Liddell', disabled: false });
      expect((await storedUser(service, 'alice'))?.hashed_password).toMatch(CURRENT_ARGON2);
    });

    it('creates a superuser, who may ask for the admin scope', async () => {
      const result = cli(['create-superuser', 'boss'], 'the chief passphrase\r\n');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('Created superuser boss.\n');
      expect(auditLines(result.stderr)).toEqual([expect.objectContaining({ audit: 'admin.user_created', username: 'boss', is_superuser: true })]);
      const answer = await service.http.post('/token').type('form').send({ username: 'boss', password: 'the chief passphrase', scope: 'admin me items' }).expect(200);
      expect(answer.body.scope.split(' ')).toContain('admin');
      await service.http.get('/users/').set('Authorization', `Bearer ${answer.body.access_token}`).expect(200);
    });

    it.each([
      ['a name taken, in another case', ['create-user', 'ALICE'], 'long enough\n', 'The username "ALICE" is already registered'],
      ['a reserved name', ['create-user', 'admin'], 'long enough\n', 'The username "admin" is reserved'],
      ['a name that looks like a registered one', ['create-user', 'a1ice'], 'long enough\n', 'Username looks like one already registered'],
      [
        'a name that mixes scripts',
        ['create-user', '\u0441arol'],
        'long enough\n',
        'username: Value error, this username mixes scripts (Cyrillic, Latin); use one, or Latin with Chinese, Japanese or Korean',
      ],
      ['a name the API refuses', ['create-user', 'two words'], 'long enough\n', "username: String should match pattern '^[\\p{L}\\p{N}_.-]+$'"],
      ['an invalid e-mail', ['create-user', 'carol', '--email', 'not-an-address'], 'long enough\n', 'email: Value error, email must be an email'],
      ['a password under 8 characters', ['create-superuser', 'carol'], 'short\n', 'password: String should have at least 8 characters'],
      ['a common password', ['create-user', 'carol'], 'password\n', 'password: Password is too common'],
      ['a password of one repeated character', ['create-user', 'carol'], 'aaaaaaaaaa\n', 'password: Password must not be only whitespace or one repeated character'],
      ['a password containing the username', ['create-user', 'carol'], 'Carol-2026!\n', 'password: Password must not contain the username'],
      ['no password on stdin', ['create-user', 'carol'], '', 'No password on stdin: pipe it as one line, or run in a terminal to be asked'],
    ])('refuses %s with exit status 1 and one line saying why', async (_case, args, stdin, reason) => {
      expect(cli(args, stdin)).toEqual({ status: 1, stdout: '', stderr: `${reason}\n` });
      expect(await storedUser(service, 'carol')).toBeUndefined();
    });

    it('refuses a password given as an argument (usage error, exit status 2) and creates nobody', async () => {
      const result = cli(['create-user', 'carol', 'a password in argv'], 'long enough\n');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("error: too many arguments for 'create-user'");
      expect(result.stderr).toContain(PASSWORD_HINT);
      expect(result.stderr).not.toContain('a password in argv');
      expect(await storedUser(service, 'carol')).toBeUndefined();
    });
  });

  describe('set-password', () => {
    it("sets a password piped on stdin: the user's earlier access and refresh tokens stop working, the new password logs in", async () => {
      const before = await service.http.post('/token').type('form').send({ username: 'alice', password: 'down the rabbit hole' }).expect(200);
      await service.http.get('/users/me/').set('Authorization', `Bearer ${before.body.access_token}`).expect(200);
      const lastUse = Date.now();
      const result = cli(['set-password', 'Alice'], 'through the looking glass\n');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('Changed the password of alice; their earlier tokens and sessions no longer work.\n');
      expect(auditLines(result.stderr)).toEqual([expect.objectContaining({ audit: 'admin.user_changed', username: 'alice', fields: ['password'] })]);
      expect(result.stderr).not.toContain('looking glass');
      await pastRecentReads(lastUse);
      await service.http.get('/users/me/').set('Authorization', `Bearer ${before.body.access_token}`).expect(401, { detail: 'Could not validate credentials' });
      await service.http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: before.body.refresh_token }).expect(400);
      await service.http.post('/token').type('form').send({ username: 'alice', password: 'down the rabbit hole' }).expect(401);
      await login(service.http, 'alice', 'through the looking glass');
    });

    it.each([
      ['an unknown user', ['set-password', 'nobody'], 'long enough\n', 'No user named "nobody"'],
      ['a password under 8 characters', ['set-password', 'alice'], '1234567\n', 'password: String should have at least 8 characters'],
      ['a common password', ['set-password', 'alice'], '12345678\n', 'password: Password is too common'],
      ['a password containing the username', ['set-password', 'alice'], 'alice in wonderland\n', 'password: Password must not contain the username'],
    ])('refuses %s with exit status 1, and the password stays', async (_case, args, stdin, reason) => {
      const before = await storedUser(service, 'alice');
      expect(cli(args, stdin)).toEqual({ status: 1, stdout: '', stderr: `${reason}\n` });
      expect(await storedUser(service, 'alice')).toEqual(before);
    });

    it.each([
      ['an argument', ['set-password', 'alice', 'a password in argv'], "error: too many arguments for 'set-password'"],
      ['an option', ['set-password', 'alice', '--password', 'a password in argv'], "error: unknown option '--password'"],
    ])('refuses a password given as %s (exit status 2) and changes nothing', async (_case, args, error) => {
      const before = await storedUser(service, 'alice');
      const result = cli(args, 'a password in argv\n');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(error);
      expect(result.stderr).toContain(PASSWORD_HINT);
      expect(await storedUser(service, 'alice')).toEqual(before);
    });

    it('at a terminal, asks twice without echoing, and refuses two different passwords', async () => {
      const before = await storedUser(service, 'alice');
      const result = cliAtTerminal(['set-password', 'alice'], [
        ['Password: ', 'first typing 1'],
        ['Password (again): ', 'first typing 2'],
      ]);
      expect(result.status).toBe(1);
      expect(result.screen).toContain('The two passwords do not match');
      expect(result.screen).not.toContain('first typing');
      expect(await storedUser(service, 'alice')).toEqual(before);
    });
  });

  describe('disable-user and enable-user', () => {
    let aliceToken: string;
    let aliceRefreshToken: string;

    it('disables a user: the right password gets 400 Inactive user, and so do their tokens', async () => {
      const answer = await service.http.post('/token').type('form').send({ username: 'alice', password: 'through the looking glass' }).expect(200);
      const token: string = answer.body.access_token;
      [aliceToken, aliceRefreshToken] = [token, answer.body.refresh_token];
      await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(200);
      const lastUse = Date.now();
      const result = cli(['disable-user', 'alice']);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('alice is now disabled.\n');
      expect(auditLines(result.stderr)).toEqual([expect.objectContaining({ audit: 'admin.user_changed', username: 'alice', fields: ['disabled'] })]);
      await pastRecentReads(lastUse);
      await service.http.post('/token').type('form').send({ username: 'alice', password: 'through the looking glass' }).expect(400, { detail: 'Inactive user' });
      await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(400, { detail: 'Inactive user' });
      await service.http
        .post('/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: aliceRefreshToken })
        .expect(400, { detail: 'Inactive user' });
    });

    it('says so when the user is already disabled', () => {
      expect(cli(['disable-user', 'alice'])).toEqual({ status: 0, stdout: 'alice is already disabled.\n', stderr: '' });
    });

    it('enables the user again, who logs in, and whose tokens from before stay ended', async () => {
      const before = await storedUser(service, 'alice');
      const lastUse = Date.now();
      const result = cli(['enable-user', 'alice']);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('alice is now enabled.\n');
      expect((await storedUser(service, 'alice'))?.token_version).toBe(before?.token_version);
      await pastRecentReads(lastUse);
      await service.http.get('/users/me/').set('Authorization', `Bearer ${aliceToken}`).expect(401, { detail: 'Could not validate credentials' });
      await service.http
        .post('/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: aliceRefreshToken })
        .expect(400, { detail: 'Invalid refresh token', error: 'invalid_grant' });
      await login(service.http, 'alice', 'through the looking glass');
    });

    it('refuses to disable the last active superuser (exit status 1), who stays enabled', async () => {
      const before = await storedUser(service, 'boss');
      expect(cli(['disable-user', 'boss'])).toEqual({
        status: 1,
        stdout: '',
        stderr: 'The last active superuser cannot be removed, demoted or disabled\n',
      });
      expect(await storedUser(service, 'boss')).toEqual(before);
    });

    it('refuses an unknown user with exit status 1', () => {
      expect(cli(['disable-user', 'nobody'])).toEqual({ status: 1, stdout: '', stderr: 'No user named "nobody"\n' });
    });
  });

  describe('import-users', () => {
    function usersFile(users: unknown): string {
      const file = join(dir, 'users.json');
      writeFileSync(file, JSON.stringify(users));
      return file;
    }

    it('imports nothing when one record is bad, naming it (exit status 1)', async () => {
      const result = cli(['import-users', usersFile({ johndoe: { hashed_password: JOHNDOE_BCRYPT }, mallory: { hashed_password: 'plain text' } })]);
      expect(result).toEqual({ status: 1, stdout: '', stderr: 'mallory: hashed_password is not an argon2, bcrypt or pbkdf2_sha256 hash\nNothing imported.\n' });
      expect(await storedUser(service, 'johndoe')).toBeUndefined();
    });

    it('imports every record of a good file, keeping the hashes, and leaves existing names alone', async () => {
      const result = cli(['import-users', usersFile({ johndoe: { full_name: 'John Doe', hashed_password: JOHNDOE_BCRYPT }, alice: { hashed_password: JOHNDOE_BCRYPT } })]);
      expect(result).toEqual({
        status: 0,
        stdout: 'johndoe: imported\nalice: exists, left alone (use --overwrite to replace)\n1 imported, 0 replaced, 1 left alone\n',
        stderr: '',
      });
      await login(service.http, 'johndoe', 'secret');
      await login(service.http, 'alice', 'through the looking glass');
    });

    it('replaces existing names with --overwrite, ending their tokens', async () => {
      const token = await login(service.http, 'alice', 'through the looking glass');
      await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(200);
      const lastUse = Date.now();
      const result = cli(['import-users', usersFile({ alice: { hashed_password: JOHNDOE_BCRYPT } }), '--overwrite']);
      expect(result).toEqual({ status: 0, stdout: 'alice: replaced\n0 imported, 1 replaced, 0 left alone\n', stderr: '' });
      await pastRecentReads(lastUse);
      await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(401);
      await login(service.http, 'alice', 'secret');
    });

    it('refuses a file that cannot be read, with exit status 1', () => {
      const result = cli(['import-users', 'missing.json']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^missing\.json: ENOENT: no such file or directory.*\n$/);
    });
  });
});

describe('hash-password', () => {
  it("prints an argon2id hash at the service's parameters of the password on stdin, without a database", async () => {
    const result = cli(['hash-password'], 'correct horse battery staple\n', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing-listens-here' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const hash = result.stdout.trimEnd();
    expect(hash).toMatch(CURRENT_ARGON2);
    expect(await argon2.verify(hash, 'correct horse battery staple')).toBe(true);
  });

  it('at a terminal, asks twice without echoing the password, and prints only the hash on stdout', async () => {
    const result = cliAtTerminal(['hash-password'], [
      ['Password: ', 'typed at a terminal'],
      ['Password (again): ', 'typed at a terminal'],
    ]);
    expect(result.status).toBe(0);
    expect(result.screen).not.toContain('typed at a terminal');
    const hash = /\$argon2id\$\S+/.exec(result.screen)?.[0] ?? '';
    expect(hash).toMatch(CURRENT_ARGON2);
    expect(await argon2.verify(hash, 'typed at a terminal')).toBe(true);
  });

  it('refuses a password the API would refuse (over 1024 characters)', () => {
    expect(cli(['hash-password'], `${'x'.repeat(1025)}\n`)).toEqual({ status: 1, stdout: '', stderr: 'password: String should have at most 1024 characters\n' });
  });
});

describe('usage and configuration', () => {
  it('lists every command with --help (exit status 0)', () => {
    const result = cli(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['create-user', 'create-superuser', 'set-password', 'disable-user', 'enable-user', 'import-users', 'migrate', 'hash-password']) {
      expect(result.stdout).toContain(`  ${command} `);
    }
  });

  it.each([
    ['no command', [], /^Usage: cli \[options\] \[command\]/],
    ['an unknown command', ['frobnicate'], /^error: unknown command 'frobnicate'\n/],
    ['a missing argument', ['disable-user'], /^error: missing required argument 'username'\n/],
  ])('answers %s with usage on stderr and exit status 2', (_case, args, message) => {
    const result = cli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['an unsupported DATABASE_URL', { DATABASE_URL: 'mysql://db/app' }, 'Configuration error: DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://..., got "mysql://db/app"'],
  ])('refuses %s in one line, as the server does', (_case, env, line) => {
    expect(cli(['migrate'], '', env)).toEqual({ status: 1, stdout: '', stderr: `${line}\n` });
  });

  it.each([
    ['in production without SECRET_KEY', { NODE_ENV: 'production' }],
    ['with a SECRET_KEY the server would refuse', { SECRET_KEY: 'secret' }],
  ])('runs %s, as it signs no tokens', (_case, env) => {
    expect(cli(['migrate'], '', env)).toMatchObject({ status: 0, stderr: '' });
  });

  it('reads .env in its working directory, as the server does', () => {
    const project = mkdtempSync(join(tmpdir(), 'oauth2-cli-env-'));
    try {
      writeFileSync(join(project, '.env'), 'DATABASE_URL=sqlite:from-dotenv/app.db\n');
      const result = spawnSync(process.execPath, [CLI, 'migrate'], { cwd: project, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: CLI_DEADLINE_MS });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Applied \d+ migrations/);
      expect(existsSync(join(project, 'from-dotenv', 'app.db'))).toBe(true);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
