// The built server (`node dist/main.js`, what `npm run start:prod` runs) as an operator meets it:
// refusals of bad configuration, and a real start on a real port. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, postForm, startBuiltServer } from './support/built-server.js';

const STRONG_KEY = 'f3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function runToExit(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-prod-'));
  try {
    return spawnSync(process.execPath, [MAIN], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the built server', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  });

  it.each([
    ['no SECRET_KEY', {}, /^Configuration error: SECRET_KEY is required in production/],
    ['a short SECRET_KEY', { SECRET_KEY: 'too-short' }, /^Configuration error: SECRET_KEY must be at least 32 bytes/],
    [
      "the tutorial's published SECRET_KEY",
      { SECRET_KEY: '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7' },
      /^Configuration error: SECRET_KEY is a published example key/,
    ],
  ])('refuses to start in production with %s, in one line naming it', (_case, env, message) => {
    const result = runToExit({ NODE_ENV: 'production', ...env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('starts on its port, serves the contract, and loads no demo data in production', async () => {
    const server = await startBuiltServer({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY });
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

  it('never writes a password, token, hash or key to its log, even at LOG_LEVEL=verbose', async () => {
    const server = await startBuiltServer({ SECRET_KEY: STRONG_KEY, LOG_LEVEL: 'verbose' });
    const secrets: string[] = [STRONG_KEY, 'Pa55-word-never-logged', 'N3w-pass-never-logged'];
    try {
      const json = { 'Content-Type': 'application/json' };
      await fetch(`${server.base}/users/signup`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'quiet', password: secrets[1] }) });
      await postForm(`${server.base}/token`, 'username=quiet&password=wrong-guess-never-logged');
      secrets.push('wrong-guess-never-logged');
      type Tokens = { access_token: string; refresh_token: string };
      const tokens = (await (await postForm(`${server.base}/token`, `username=quiet&password=${secrets[1]}`)).json()) as Tokens;
      const refreshed = (await (
        await postForm(`${server.base}/token`, `grant_type=refresh_token&refresh_token=${tokens.refresh_token}`)
      ).json()) as Tokens;
      expect([tokens.access_token, refreshed.refresh_token]).toEqual([expect.any(String), expect.any(String)]);
      secrets.push(tokens.access_token, tokens.refresh_token, refreshed.access_token, refreshed.refresh_token);
      const bearer = { Authorization: `Bearer ${refreshed.access_token}`, ...json };
      await fetch(`${server.base}/users/me`, { headers: bearer });
      const changed = await fetch(`${server.base}/users/me/password`, {
        method: 'PATCH',
        headers: bearer,
        body: JSON.stringify({ current_password: secrets[1], new_password: secrets[2] }),
      });
      expect(changed.status).toBe(200);
      await fetch(`${server.base}/users/me`, { headers: { Authorization: 'Bearer not.a.token' } });
    } finally {
      await server.stop();
    }
    const log = server.output();
    expect(log).toContain('Listening on');
    expect(log).toContain('Mapped {/token, POST} route');
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/\$argon2id\$|\$2[aby]\$/);
  });
});
