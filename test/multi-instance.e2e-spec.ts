// Two instances of the built server on one PostgreSQL and one Redis, on two ports, behave as one
// service (docs/operations.md, "Several instances"). Runs in the PostgreSQL pass
// (TEST_DATABASE_URL); Redis is required.
import { createTestDatabase, type TestDatabase } from './support/test-app.js';
import { postForm, startBuiltServer } from './support/built-server.js';
import { withinASecond } from './support/within-a-second.js';

const postgres = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
if (!postgres) console.warn('Skipping the multi-instance suite: it runs when TEST_DATABASE_URL names a PostgreSQL');

type Server = Awaited<ReturnType<typeof startBuiltServer>>;
type Tokens = { access_token: string; refresh_token: string };

(postgres ? describe : describe.skip)('two instances on one PostgreSQL and one Redis', () => {
  let database: TestDatabase;
  let one: Server;
  let two: Server;

  const tokensFrom = async (server: Server, body: string) => {
    const response = await postForm(`${server.base}/token`, body);
    expect(response.status).toBe(200);
    return (await response.json()) as Tokens;
  };
  const me = (server: Server, token: string) => fetch(`${server.base}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  /** The status `/users/me` settles on within the second of docs/architecture.md, "Caches and their bounds". */
  const settledStatus = async (server: Server, token: string, expected: number) =>
    (await withinASecond(() => me(server, token), (response) => response.status === expected)).status;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `e2e-multi-${process.pid}-${Date.now()}:`,
      SECRET_KEY: 'd403549a16fa7e6fa873d652645eeecc3186da575adc38927ca99fcc7ff8e7c0',
      // The one address both are reached at (a balancer's), and so the one issuer of their tokens.
      PUBLIC_URL: 'http://127.0.0.1:8000',
      DEMO_DATA: 'true',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_DELAY_MAX_MS: '0',
      LOG_LEVEL: 'error',
    };
    const started = await Promise.allSettled([startBuiltServer(env), startBuiltServer(env)]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
      throw (failed as PromiseRejectedResult).reason;
    }
    [one, two] = started.map((result) => (result as PromiseFulfilledResult<Server>).value);
  });

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await database?.drop();
  });

  it('accepts on one instance a token issued by the other', async () => {
    const tokens = await tokensFrom(one, 'username=johndoe&password=secret');
    expect((await me(two, tokens.access_token)).status).toBe(200);
  });

  it('ends a session everywhere at a logout on one instance', async () => {
    const tokens = await tokensFrom(one, 'username=johndoe&password=secret');
    const logout = await fetch(`${one.base}/logout`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(logout.status).toBe(204);
    expect(await settledStatus(two, tokens.access_token, 401)).toBe(401);
  });

  it('ends old tokens everywhere at a password change on one instance', async () => {
    await fetch(`${one.base}/users/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'roamer', password: 'first password' }),
    });
    const tokens = await tokensFrom(two, 'username=roamer&password=first password');
    const change = await fetch(`${one.base}/users/me/password`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ current_password: 'first password', new_password: 'second password' }),
    });
    expect(change.status).toBe(200);
    expect(await settledStatus(two, tokens.access_token, 401)).toBe(401);
  });

  it('ends a session everywhere when a refresh token is reused on the other instance', async () => {
    const first = await tokensFrom(one, 'username=alice&password=secret');
    const second = await tokensFrom(one, `grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    const reuse = await postForm(`${two.base}/token`, `grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    expect(reuse.status).toBe(400);
    expect(await settledStatus(one, second.access_token, 401)).toBe(401);
  });

  it('holds a lock-out from one instance on the other', async () => {
    for (let i = 0; i < 3; i += 1) await postForm(`${one.base}/token`, 'username=mike&password=wrong');
    const locked = await postForm(`${two.base}/token`, 'username=mike&password=password');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toEqual({ detail: 'Too many failed login attempts' });
  });
});
