// The built server (`node dist/server.js`, what `npm run start:prod` runs) as an operator meets it:
// refusals of bad configuration, and a real start on a real port. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, NODE_FLAGS, postForm, startBuiltServer } from './support/built-server.js';

const STRONG_KEY = 'f3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function runToExit(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-prod-'));
  try {
    return spawnSync(process.execPath, [...NODE_FLAGS, MAIN], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, ...env },
      encoding: 'utf8',
      // Only for a server that does not exit: a refusal takes a second; spawnSync holds the event
      // loop, so this stays below the 120 s a test may take.
      timeout: 90_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the built server', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
  });

  it.each([
    ['no SECRET_KEY', {}, /^Configuration error: SECRET_KEY is required in production/],
    ['no PUBLIC_URL', { SECRET_KEY: STRONG_KEY }, /^Configuration error: PUBLIC_URL is required in production and when HOST is not a loopback address/],
    ['a short SECRET_KEY', { SECRET_KEY: 'too-short' }, /^Configuration error: SECRET_KEY is too easy to guess/],
    [
      "the tutorial's published SECRET_KEY",
      { SECRET_KEY: '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7' },
      /^Configuration error: SECRET_KEY is a published example key/,
    ],
    [
      'a FIRST_SUPERUSER the username rules refuse',
      { SECRET_KEY: STRONG_KEY, PUBLIC_URL: 'https://id.example.com', FIRST_SUPERUSER: 'root', FIRST_SUPERUSER_PASSWORD: 'a long enough password' },
      /^Configuration error: FIRST_SUPERUSER is refused: username: Value error, this username is reserved\n?$/,
    ],
  ])('refuses to start in production with %s, in one line naming it', (_case, env, message) => {
    const result = runToExit({ NODE_ENV: 'production', ...env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('starts on its port, serves the contract, and loads no demo data in production', async () => {
    const server = await startBuiltServer({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY, PUBLIC_URL: 'https://id.example.com' });
    try {
      const me = await fetch(`${server.base}/users/me/`);
      expect(me.status).toBe(401);
      expect(await me.json()).toEqual({ detail: 'Not authenticated' });
      const token = await postForm(`${server.base}/token`, 'username=johndoe&password=secret');
      expect(token.status).toBe(401);
      expect(existsSync(join(server.dir, 'data', 'app.db'))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
