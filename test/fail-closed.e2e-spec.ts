// Defaults that fail closed, as an operator meets them in the built server (`node dist/server.js`,
// what `npm run start:prod` and the container run): production unless NODE_ENV says otherwise, and
// a SECRET_KEY that is set checked in every mode. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, NODE_FLAGS, postForm, startBuiltServer } from './support/built-server.js';

const STRONG_KEY = '3f9c1e0b7a2d48e6b5c4a19f0d8e7b6c2a1f3e5d4c9b8a7f6e0d1c2b3a4f5e6d';
const TUTORIAL_KEY = '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7';

/** What `npm start` passes after `npm run start:prod`'s command, read from package.json. */
const NPM_START_ARGS: string[] = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start
  .split(' -- ')
  .slice(1)
  .join(' ')
  .split(' ')
  .filter((word) => word !== '');

/** The built server, in an empty directory (holding `files`), until it exits. */
function runToExit(env: Record<string, string>, { args = [], files = {} }: { args?: string[]; files?: Record<string, string> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-fail-closed-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return spawnSync(process.execPath, [...NODE_FLAGS, MAIN, ...args], {
      cwd: dir,
      // Port 0: a server that should have refused but starts takes a free port, not 8000.
      env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, ...env },
      encoding: 'utf8',
      // Only for a server that does not exit: a refusal takes a second; spawnSync holds the event
      // loop, so this stays below the 120 s a test may take.
      timeout: 90_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectRefusedInOneLine(result: ReturnType<typeof runToExit>, line: RegExp | string): void {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  if (typeof line === 'string') expect(result.stderr).toBe(`${line}\n`);
  else expect(result.stderr).toMatch(line);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('the built server with NODE_ENV unset', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
  });

  it('refuses SECRET_KEY=secret in one line, saying how to make a good key', () => {
    expectRefusedInOneLine(
      runToExit({ SECRET_KEY: 'secret' }),
      /^Configuration error: SECRET_KEY is too easy to guess \(about \d+ bits of estimated entropy, 128 needed\); generate one with: openssl rand -hex 32\n$/,
    );
  });

  it('refuses to start without SECRET_KEY, as production does', () => {
    expectRefusedInOneLine(runToExit({}), 'Configuration error: SECRET_KEY is required in production; generate one with: openssl rand -hex 32');
  });

  it('starts in production with a good key: no demo users, so johndoe / secret is refused', async () => {
    const server = await startBuiltServer({ SECRET_KEY: STRONG_KEY, PUBLIC_URL: 'https://id.example.com' });
    try {
      const token = await postForm(`${server.base}/token`, 'username=johndoe&password=secret');
      expect(token.status).toBe(401);
      expect(server.output()).not.toContain('SECRET_KEY is not set');
    } finally {
      await server.stop();
    }
  });

  it('refuses DEMO_DATA=true, which production never loads', () => {
    expectRefusedInOneLine(runToExit({ SECRET_KEY: STRONG_KEY, DEMO_DATA: 'true' }), /^Configuration error: DEMO_DATA cannot be enabled in production\n$/);
  });
});

describe('a SECRET_KEY in development', () => {
  it.each([
    ['32 times a', 'a'.repeat(32), /too easy to guess \(about 9 bits/],
    ['password 4 times', 'password'.repeat(4), /too easy to guess \(about 4 bits/],
    ["the tutorial's key upper-cased", TUTORIAL_KEY.toUpperCase(), /is a published example key/],
    ["the tutorial's key with a trailing space", `${TUTORIAL_KEY} `, /is a published example key/],
    ['32 random hex characters', 'c4d1b2a39e8f7061d5c4b3a2f1e0d9c8', /too easy to guess \(about 1\d\d bits/],
  ])('refuses %s at start, in one line', (_case, key, reason) => {
    const result = runToExit({ NODE_ENV: 'development', SECRET_KEY: key });
    expectRefusedInOneLine(result, /^Configuration error: SECRET_KEY [^\n]+; generate one with: openssl rand -hex 32\n$/);
    expect(result.stderr).toMatch(reason);
  });

  it('refuses a guessable key among PREVIOUS_SECRET_KEYS, naming which', () => {
    const result = runToExit({ NODE_ENV: 'development', SECRET_KEY: STRONG_KEY, PREVIOUS_SECRET_KEYS: `${TUTORIAL_KEY.slice(1)}0,${'a'.repeat(40)}` });
    expectRefusedInOneLine(result, /^Configuration error: PREVIOUS_SECRET_KEYS entry 2 is too easy to guess \(about \d+ bits/);
  });

  it('starts with a good key, demo data and all', async () => {
    const server = await startBuiltServer({ NODE_ENV: 'development', SECRET_KEY: STRONG_KEY });
    try {
      expect((await postForm(`${server.base}/token`, 'username=johndoe&password=secret')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('FIRST_SUPERUSER_PASSWORD', () => {
  it('is refused at start, in one line, when the password rules would refuse it', () => {
    const result = runToExit({ SECRET_KEY: STRONG_KEY, FIRST_SUPERUSER: 'chief', FIRST_SUPERUSER_PASSWORD: 'password1' });
    expectRefusedInOneLine(result, 'Configuration error: FIRST_SUPERUSER_PASSWORD is refused: Password is too common');
  });
});

describe("npm start's arguments", () => {
  it('start the server in development when NODE_ENV is not set: demo users, a random key', async () => {
    const server = await startBuiltServer({}, { args: NPM_START_ARGS });
    try {
      expect((await postForm(`${server.base}/token`, 'username=johndoe&password=secret')).status).toBe(200);
      // Logged as start-up ends, a moment after the port answers.
      for (let wait = 0; wait < 50 && !server.output().includes('Listening on'); wait += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.output()).toContain('SECRET_KEY is not set: using a random key');
    } finally {
      await server.stop();
    }
  });

  it('give way to NODE_ENV=production in .env', () => {
    const result = runToExit({}, { args: NPM_START_ARGS, files: { '.env': 'NODE_ENV=production\n' } });
    expectRefusedInOneLine(result, 'Configuration error: SECRET_KEY is required in production; generate one with: openssl rand -hex 32');
  });
});
