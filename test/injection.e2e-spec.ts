// SQL and NoSQL injection strings in every field the API stores or looks up: stored and returned
// byte for byte, never executed; rejected where a field's rules refuse them; and never a way in.
// Every query goes through bound parameters; this suite is the proof on both databases.
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  "admin'--",
  "') UNION SELECT username, hashed_password FROM users --",
  '%27%20OR%201=1',
  '\\x27 OR 1=1 \\\\',
  '‘ OR ’1’=’1',
  '{"$gt": ""}',
  '{"$ne": null}',
  '$where: "1 == 1"',
  '*)(uid=*))(|(uid=*',
  '<script>alert(1)</script>',
];

describe('injection strings', () => {
  let database: TestDatabase;
  let service: TestApp;
  let token: string;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: 'chief', FIRST_SUPERUSER_PASSWORD: 'the head of security 1' });
    token = await login(service.http, 'johndoe', 'secret');
    adminToken = (await service.http.post('/token').type('form').send({ username: 'chief', password: 'the head of security 1', scope: 'admin me items' }).expect(200)).body.access_token;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

  it('stores them verbatim in item fields and returns them byte for byte', async () => {
    for (const [i, text] of INJECTIONS.entries()) {
      const created = await service.http
        .post('/items/')
        .set(bearer(token))
        .send({ item_id: `${text}-${i}`, title: text, description: text });
      expect(created.status).toBe(201);
      const read = await service.http.get(`/items/${created.body.id}`).set(bearer(token));
      expect(read.body).toMatchObject({ item_id: `${text}-${i}`, title: text, description: text, owner: 'johndoe' });
    }
    const mine = await service.http.get('/items/?limit=100').set(bearer(token));
    for (const text of INJECTIONS) expect(mine.body.data.some((item: { title: string }) => item.title === text)).toBe(true);
  });

  // Each string costs two argon2 hashes (sign-up, login): the strings go side by side, as many at
  // once as the hashing queue takes (HASH_CONCURRENCY), and the test may take minutes on a busy machine.
  it('stores them verbatim in profile fields and sign-up passwords, which still work as passwords', async () => {
    await Promise.all(
      INJECTIONS.map(async (text, i) => {
        const username = `inj${i}`;
        const password = `${text}${'-padding'.repeat(2)}`;
        const signup = await service.http.post('/users/signup').send({ username, password, full_name: text });
        expect([signup.status, signup.body.full_name]).toEqual([201, text]);
        const own = await login(service.http, username, password);
        const patched = await service.http.patch('/users/me/').set(bearer(own)).send({ full_name: `${text}!` });
        expect(patched.body.full_name).toBe(`${text}!`);
      }),
    );
  }, 300_000);

  it('refuses them as usernames (422), leaving the users table as it was', async () => {
    const userCount = async () => (await service.http.get('/users/?limit=1').set(bearer(adminToken)).expect(200)).body.count as number;
    const before = await userCount();
    for (const text of INJECTIONS) {
      const signup = await service.http.post('/users/signup').send({ username: text, password: 'a fine password' });
      expect(signup.status).toBe(422);
    }
    expect(before).toBeGreaterThan(5);
    expect(await userCount()).toBe(before);
  });

  // Every attempt costs one argon2 verification (an unknown name is checked against a dummy hash).
  // The string as password to a real user, and as (or after) a name with a real user's password:
  // a query that let the string through in either field would log someone in. The string in both
  // fields at once adds nothing to these (any query it would open, one of them opens too), so it is
  // not sent. The attempts go side by side, as many at once as the hashing queue takes.
  it('never logs anyone in with them, as username or password', async () => {
    const attempts = INJECTIONS.flatMap((text) => [
      ['johndoe', text],
      [text, 'secret'],
      [`johndoe${text}`, 'secret'],
    ]);
    const answers = await Promise.all(
      attempts.map(async ([username, password]) => {
        const answer = await service.http.post('/token').type('form').send({ username, password });
        return [username, password, answer.status, answer.body];
      }),
    );
    expect(answers).toEqual(attempts.map(([username, password]) => [username, password, 401, { detail: 'Incorrect username or password' }]));
  }, 300_000);

  it('refuses JSON operators where a string belongs (422), never a login or a match', async () => {
    for (const operator of [{ $ne: null }, { $gt: '' }, ['johndoe'], { username: 'johndoe' }]) {
      const signup = await service.http.post('/users/signup').send({ username: operator, password: operator });
      expect(signup.status).toBe(422);
      const change = await service.http.patch('/users/me/password').set(bearer(token)).send({ current_password: operator, new_password: 'a new password 1' });
      expect(change.status).toBe(422);
    }
    const bracketed = await service.http.post('/token').type('form').send('username[$ne]=x&password[$ne]=x');
    expect(bracketed.status).toBe(422);
  });

  it('treats them as plain values in path and query parameters', async () => {
    for (const text of INJECTIONS) {
      const item = await service.http.get(`/items/${encodeURIComponent(text)}`).set(bearer(token));
      expect([404, 422]).toContain(item.status);
      const user = await service.http.get(`/users/${encodeURIComponent(text)}`).set(bearer(adminToken));
      expect([user.status, user.body]).toEqual([404, { detail: 'User not found' }]);
      const page = await service.http.get(`/items/?skip=${encodeURIComponent(text)}&limit=${encodeURIComponent(text)}`).set(bearer(token));
      expect(page.status).toBe(422);
    }
  });

  it('leaves every table and the demo users intact', async () => {
    for (const [username, password] of [['johndoe', 'secret'], ['alice', 'secret'], ['chief', 'the head of security 1']]) {
      await login(service.http, username, password);
    }
    const chief = (await service.http.post('/token').type('form').send({ username: 'chief', password: 'the head of security 1', scope: 'admin me items' })).body.access_token;
    expect((await service.http.get('/users/johndoe').set(bearer(chief))).status).toBe(200);
    const items = await service.http.get('/items/?limit=100').set(bearer(chief));
    expect(items.body.data.filter((item: { title: string }) => item.title === INJECTIONS[1])).toHaveLength(1);
  });
});
