// Faults: the SQLite server killed with SIGKILL in the middle of a stream of writes loses nothing
// it acknowledged, and its database passes PRAGMA integrity_check after a restart.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postForm, startBuiltServer } from './support/built-server.js';

// SQLite only: the PostgreSQL pass of CI skips it.
(process.env.TEST_DATABASE_URL ? describe.skip : describe)('SQLite under SIGKILL', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth2-kill-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every write acknowledged with 2xx before a kill -9, and the database stays sound', async () => {
    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      SECRET_KEY: 'fce1dd6afb3688d1a9ea1d016663c0cda65f378be5b2bfdcef08e305f5a9cda2',
      SIGNUP_MAX_PER_ADDRESS: '100000',
      HASH_QUEUE_LIMIT: '10000',
      // Durability is the point here, not scheduling: sign-ups must not wait behind the item writes.
      HASH_NICE: '0',
      LOG_LEVEL: 'error',
    };
    const server = await startBuiltServer(env);
    const json = { 'Content-Type': 'application/json' };
    const login = await postForm(`${server.base}/token`, 'username=johndoe&password=secret');
    const { access_token: token } = (await login.json()) as { access_token: string };
    const acknowledgedItems: string[] = [];
    const acknowledgedUsers: string[] = [];
    let writing = true;

    const writeItems = async (lane: number) => {
      for (let i = 0; writing; i += 1) {
        const itemId = `kill-${lane}-${i}`;
        const response = await fetch(`${server.base}/items/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, ...json },
          body: JSON.stringify({ item_id: itemId, title: itemId }),
        }).catch(() => undefined);
        if (response?.status === 201) acknowledgedItems.push(itemId);
      }
    };
    const signUps = async (lane: number) => {
      for (let i = 0; writing; i += 1) {
        const username = `killed-${lane}-${i}`;
        const response = await fetch(`${server.base}/users/signup`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username, password: 'a fine password' }),
        }).catch(() => undefined);
        if (response?.status === 201) acknowledgedUsers.push(username);
      }
    };
    const lanes = [0, 1, 2, 3].map(writeItems).concat([0, 1].map(signUps));
    // The kill comes once both kinds of write have been acknowledged a few times (however long that
    // takes on a busy machine), while every lane still has one in flight.
    while (acknowledgedItems.length < 50 || acknowledgedUsers.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    server.kill('SIGKILL');
    writing = false;
    await Promise.all(lanes);
    expect(acknowledgedItems.length).toBeGreaterThanOrEqual(50);
    expect(acknowledgedUsers.length).toBeGreaterThanOrEqual(2);

    const restarted = await startBuiltServer(env);
    try {
      const again = await postForm(`${restarted.base}/token`, 'username=johndoe&password=secret');
      expect(again.status).toBe(200);
    } finally {
      await restarted.stop();
    }
    const db = new Database(join(dir, 'app.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const items = new Set(db.prepare("SELECT item_id FROM items WHERE item_id LIKE 'kill-%'").pluck().all() as string[]);
      const users = new Set(db.prepare("SELECT username FROM users WHERE username LIKE 'killed-%'").pluck().all() as string[]);
      expect(acknowledgedItems.filter((itemId) => !items.has(itemId))).toEqual([]);
      expect(acknowledgedUsers.filter((username) => !users.has(username))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
