// Brute force and overload: lock-outs per (username, address), a per-address cap, a per-username
// delay that never locks, sign-up rate, and the bounded hashing queue.
import { redisIsAvailable, redisUrl } from './support/redis.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const LIMITS = {
  LOGIN_MAX_FAILURES: '3',
  LOGIN_ADDRESS_MAX_FAILURES: '8',
  LOGIN_DELAY_MAX_MS: '200',
  SIGNUP_MAX_PER_ADDRESS: '2',
  TRUST_PROXY: '127.0.0.1',
};
const TOO_MANY = { detail: 'Too many failed login attempts' };

async function withApp(env: Record<string, string>, run: (service: TestApp) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const service = await startApp(database, env);
  try {
    await run(service);
  } finally {
    await service.close();
    await database.drop();
  }
}

describe('brute-force defence', () => {
  let database: TestDatabase;
  let service: TestApp;
  let address = 0;
  /** A client address of its own for each test (the app believes X-Forwarded-For from 127.0.0.1). */
  const freshAddress = () => `203.0.113.${++address}`;

  const attempt = (from: string, username: string, password: string) =>
    service.http.post('/token').set('X-Forwarded-For', from).type('form').send({ username, password });

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, LIMITS);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('answers 429 with Retry-After after LOGIN_MAX_FAILURES failures, even to the right password', async () => {
    const from = freshAddress();
    for (let i = 0; i < 3; i += 1) expect((await attempt(from, 'alice', 'wrong')).status).toBe(401);
    const locked = await attempt(from, 'alice', 'secret');
    expect([locked.status, locked.body]).toEqual([429, TOO_MANY]);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
  });

  it('still lets the same user in from another address', async () => {
    const attacker = freshAddress();
    for (let i = 0; i < 4; i += 1) await attempt(attacker, 'mike', 'wrong');
    expect((await attempt(attacker, 'mike', 'password')).status).toBe(429);
    expect((await attempt(freshAddress(), 'mike', 'password')).status).toBe(200);
  });

  it('clears the counter of an address and name after a success', async () => {
    const from = freshAddress();
    await attempt(from, 'stanley', 'wrong');
    await attempt(from, 'stanley', 'wrong');
    expect((await attempt(from, 'stanley', 'secret')).status).toBe(200);
    await attempt(from, 'stanley', 'wrong');
    await attempt(from, 'stanley', 'wrong');
    expect((await attempt(from, 'stanley', 'secret')).status).toBe(200);
  });

  it('answers unknown, real and disabled users identically over ten wrong tries', async () => {
    const answers = async (username: string) => {
      const from = freshAddress();
      const seen: unknown[] = [];
      for (let i = 0; i < 10; i += 1) {
        const response = await attempt(from, username, 'wrong-password');
        seen.push([response.status, response.body, response.headers['www-authenticate'] ?? null]);
      }
      return seen;
    };
    const real = await answers('johndoe');
    expect(await answers('no-such-user')).toEqual(real);
    expect(await answers('eve')).toEqual(real);
    expect(real.slice(0, 3)).toEqual(Array(3).fill([401, { detail: 'Incorrect username or password' }, 'Bearer']));
    expect(real.slice(3)).toEqual(Array(7).fill([429, TOO_MANY, null]));
  });

  it('caps the failures of one address across usernames (password spraying)', async () => {
    const from = freshAddress();
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8']) await attempt(from, name, 'Summer2026!');
    const blocked = await attempt(from, 'johndoe', 'secret');
    expect([blocked.status, blocked.body]).toEqual([429, TOO_MANY]);
  });

  it('slows a targeted name down but never locks it: a new address waits its turn, the owner is never held up', async () => {
    const owner = freshAddress();
    expect((await attempt(owner, 'johndoe', 'secret')).status).toBe(200);
    for (let i = 0; i < 3; i += 1) {
      const from = freshAddress();
      for (let j = 0; j < 2; j += 1) await attempt(from, 'johndoe', 'guess');
    }
    expect((await attempt(owner, 'johndoe', 'secret')).status).toBe(200);
    // From an address it never logged in from, the owner may have to wait (Retry-After), never for long.
    const newDevice = freshAddress();
    for (;;) {
      const answer = await attempt(newDevice, 'johndoe', 'secret');
      if (answer.status === 200) break;
      expect([answer.status, answer.body]).toEqual([429, TOO_MANY]);
      expect(Number(answer.headers['retry-after'])).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

  it('counts a wrong current password at password change as a failed login', async () => {
    await service.http.post('/users/signup').set('X-Forwarded-For', freshAddress()).send({ username: 'changer', password: 'the password' }).expect(201);
    const from = freshAddress();
    const token = (await attempt(from, 'changer', 'the password')).body.access_token as string;
    const change = (current: string) =>
      service.http
        .patch('/users/me/password')
        .set('X-Forwarded-For', from)
        .auth(token, { type: 'bearer' })
        .send({ current_password: current, new_password: 'another password' });
    for (let i = 0; i < 3; i += 1) expect((await change('wrong guess')).status).toBe(400);
    const locked = await change('the password');
    expect([locked.status, locked.body]).toEqual([429, TOO_MANY]);
  });

  it('limits sign-ups per address', async () => {
    const from = freshAddress();
    const signUp = (username: string) =>
      service.http.post('/users/signup').set('X-Forwarded-For', from).send({ username, password: 'a fine password' });
    expect((await signUp('first-one')).status).toBe(201);
    expect((await signUp('second-one')).status).toBe(201);
    const third = await signUp('third-one');
    expect([third.status, third.body]).toEqual([429, { detail: 'Too many sign-ups, try again later' }]);
    expect(third.headers['retry-after']).toBeDefined();
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', () =>
    withApp({ ...LIMITS, TRUST_PROXY: '' }, async (service) => {
      for (let i = 0; i < 3; i += 1) {
        await service.http.post('/token').set('X-Forwarded-For', `198.51.100.${i}`).type('form').send({ username: 'alice', password: 'x' });
      }
      const spoofed = await service.http.post('/token').set('X-Forwarded-For', '198.51.100.99').type('form').send({ username: 'alice', password: 'secret' });
      expect(spoofed.status).toBe(429);
    }));
});

describe('hashing queue', () => {
  it('answers 503 "Server busy" with Retry-After to logins and sign-ups beyond the queue', () =>
    withApp({ HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '1' }, async (service) => {
      const logins = await Promise.all(
        Array.from({ length: 6 }, () => service.http.post('/token').type('form').send({ username: 'johndoe', password: 'secret' })),
      );
      const busy = logins.filter((response) => response.status === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(logins.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(2);
      expect(busy[0].body).toEqual({ detail: 'Server busy' });
      expect(busy[0].headers['retry-after']).toBe('1');
      const signUps = await Promise.all(
        Array.from({ length: 6 }, (_, i) => service.http.post('/users/signup').send({ username: `busy-${i}`, password: 'a fine password' })),
      );
      expect(signUps.some((response) => response.status === 503)).toBe(true);
      await login(service.http, 'johndoe', 'secret');
    }));
});

const redisAvailable = await redisIsAvailable('the Redis rate-limit tests');

(redisAvailable ? describe : describe.skip)('rate limits in Redis (REDIS_URL)', () => {
  const prefix = `e2e-${process.pid}-${Date.now()}:`;
  const shared = { ...LIMITS, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix };

  it('counts failures on one instance against logins on the next', async () => {
    const database = await createTestDatabase();
    try {
      const first = await startApp(database, shared);
      try {
        for (let i = 0; i < 3; i += 1) {
          await first.http.post('/token').set('X-Forwarded-For', '192.0.2.10').type('form').send({ username: 'alice', password: 'x' });
        }
      } finally {
        await first.close();
      }
      const second = await startApp(database, shared);
      try {
        const locked = await second.http.post('/token').set('X-Forwarded-For', '192.0.2.10').type('form').send({ username: 'alice', password: 'secret' });
        expect([locked.status, locked.body]).toEqual([429, TOO_MANY]);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('keeps logins working, counting in-process, when Redis cannot be reached', () =>
    withApp({ ...LIMITS, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'fatal' }, async (service) => {
      await login(service.http, 'johndoe', 'secret');
      for (let i = 0; i < 3; i += 1) {
        await service.http.post('/token').set('X-Forwarded-For', '192.0.2.20').type('form').send({ username: 'alice', password: 'x' });
      }
      const locked = await service.http.post('/token').set('X-Forwarded-For', '192.0.2.20').type('form').send({ username: 'alice', password: 'secret' });
      expect(locked.status).toBe(429);
    }));
});
