// Abuse: what an attacker with nothing but HTTP and a few client addresses tried against the login
// limits and the hashing queue, each on SQLite and PostgreSQL (TEST_DATABASE_URL), counting in
// this process and in Redis. Client addresses come from X-Forwarded-For, believed from 127.0.0.1.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { jest } from '@jest/globals';
import { ClientsService } from '../src/clients/clients.service.js';
import { CounterStore } from '../src/throttle/counter-store.js';
import { User } from '../src/users/user.entity.js';
import { UsersService } from '../src/users/users.service.js';
import { redisEnv, redisIsAvailable } from './support/redis.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const TOO_MANY = { detail: 'Too many failed login attempts' };
const redisAvailable = await redisIsAvailable('the abuse suite with Redis');
const STORES = [['in this process', false] as const, ...(redisAvailable ? [['in Redis', true] as const] : [])];

/** The service's own defaults for the limits this suite attacks (startApp raises them for other suites). */
const DEFAULT_LIMITS = { HASH_QUEUE_LIMIT: '32', HASH_QUEUE_PER_ADDRESS: '8', PASSWORD_CHECKS_PER_ADDRESS: '120', TRUST_PROXY: '127.0.0.1' };

let lastAddress = 0;
/** A client address of its own. */
const freshAddress = () => `198.18.${Math.floor(++lastAddress / 250)}.${(lastAddress % 250) + 1}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

describe.each(STORES)('abuse of the login limits, counted %s', (_store, inRedis) => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  async function serve(env: Record<string, string>): Promise<TestApp> {
    const service = await startApp(database, { ...DEFAULT_LIMITS, ...(inRedis ? redisEnv() : {}), ...env });
    apps.push(service);
    return service;
  }

  const login = (service: TestApp, from: string, username: string, password: string) =>
    service.http.post('/token').set('X-Forwarded-For', from).type('form').send({ username, password });

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((service) => service.close()));
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('keeps counter keys short whatever the name: a digest of it, never the name itself', async () => {
    const env = inRedis ? redisEnv() : {};
    const service = await serve(env);
    const store = service.app.get(CounterStore);
    // Every key the limits hand their store, whichever store it is: what it holds is what it costs.
    const storeCalls = (['increment', 'decrement', 'peek', 'reset', 'acquire', 'hold'] as const).map((method) => jest.spyOn(store, method).mock.calls);
    const name = `\uFDFA${'x'.repeat(253)}`;
    expect((await login(service, freshAddress(), name, 'x')).status).toBe(401);
    let keys = storeCalls.flatMap((calls) => calls.map(([key]) => key));
    if (inRedis) {
      const redis = new Redis(env.REDIS_URL!);
      keys = [...keys, ...(await redis.keys(`${env.REDIS_KEY_PREFIX}*`)).map((key) => key.slice(env.REDIS_KEY_PREFIX!.length))];
      redis.disconnect();
    }
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('xxxxxxxx');
      expect(key.length).toBeLessThan(120);
    }
  });

  it('checks at most LOGIN_MAX_FAILURES of 25 guesses sent at once for one user from one address', async () => {
    const service = await serve({ LOGIN_MAX_FAILURES: '5' });
    const from = freshAddress();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => login(service, from, 'alice', i === 12 ? 'secret' : `wrong-${i}`)));
    const counts = tally(answers.map((answer) => answer.status));
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBeLessThanOrEqual(5);
    expect(counts[429]).toBeGreaterThanOrEqual(20);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body).toEqual(TOO_MANY);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('checks at most LOGIN_ADDRESS_MAX_FAILURES of 25 guesses sent at once over many names from one address', async () => {
    const service = await serve({ LOGIN_ADDRESS_MAX_FAILURES: '8' });
    const from = freshAddress();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => login(service, from, `sprayed-${i}`, 'Summer2026!')));
    const counts = tally(answers.map((answer) => answer.status));
    expect(counts[401]).toBeLessThanOrEqual(8);
    expect(counts[429]).toBeGreaterThanOrEqual(17);
  });

  it('lets one of six guesses sent at once from six addresses through for a user past LOGIN_MAX_FAILURES', async () => {
    const service = await serve({ LOGIN_MAX_FAILURES: '3', LOGIN_DELAY_MAX_MS: '60000' });
    for (let i = 0; i < 3; i += 1) expect((await login(service, freshAddress(), 'stanley', `guess-${i}`)).status).toBe(401);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => login(service, freshAddress(), 'stanley', `burst-${i}`)));
    const counts = tally(answers.map((answer) => answer.status));
    expect(counts).toEqual({ 401: 1, 429: 5 });
  });

  it("never makes the owner's own login wait for a stranger's guesses", async () => {
    const service = await serve({ LOGIN_MAX_FAILURES: '1', LOGIN_DELAY_MAX_MS: '60000' });
    const home = freshAddress();
    expect((await login(service, home, 'mike', 'password')).status).toBe(200);
    // A stranger guesses as fast as the account's gate lets it, five times past the limit.
    let retryAfter = 0;
    for (let failures = 0; failures < 6; ) {
      const answer = await login(service, freshAddress(), 'mike', `guess-${failures}`);
      if (answer.status === 401) failures += 1;
      else {
        expect(answer.status).toBe(429);
        await new Promise((resolve) => setTimeout(resolve, Number(answer.headers['retry-after']) * 1000));
      }
    }
    const stranger = await login(service, freshAddress(), 'mike', 'password');
    expect(stranger.status).toBe(429);
    retryAfter = Number(stranger.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(4);
    // The stranger is told to wait seconds; the owner's own login is not one of them. It is timed
    // against a login of an account nobody attacks, sent at the same moment: the two cost the same
    // (one verification each), however busy the machine, and a wait would add the stranger's seconds.
    const timed = async (from: string, username: string, password: string) => {
      const started = performance.now();
      const answer = await login(service, from, username, password);
      return { status: answer.status, ms: performance.now() - started };
    };
    const [owner, unattacked] = await Promise.all([timed(home, 'mike', 'password'), timed(freshAddress(), 'alice', 'secret')]);
    expect([owner.status, unattacked.status]).toEqual([200, 200]);
    expect(owner.ms - unattacked.ms).toBeLessThan((retryAfter * 1000) / 2);
  });

  it('refuses logins from an address past its password checks before looking anyone up, and still lets it refresh and a client authenticate', async () => {
    const service = await serve({ PASSWORD_CHECKS_PER_ADDRESS: '3' });
    const from = freshAddress();
    const first = await login(service, from, 'alice', 'secret');
    for (let i = 0; i < 2; i += 1) expect((await login(service, from, 'alice', 'secret')).status).toBe(200);
    const lookUps = jest.spyOn(service.app.get(UsersService), 'findByUsername');
    const refused = await login(service, from, 'alice', 'secret');
    expect([refused.status, refused.body]).toEqual([429, { detail: 'Too many login attempts, try again later' }]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(lookUps).not.toHaveBeenCalled();
    const refreshed = await service.http
      .post('/token')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    // Only the password grant (grant_type password, or none, as the tutorial's form allows) is
    // refused early: no other grant checks a password.
    const { client, secret } = await service.app.get(ClientsService).create({ username: 'root1' }, { name: 'backend', scope: 'items', redirectUris: [], isPublic: false, firstParty: false });
    const clientToken = await service.http
      .post('/token')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret });
    expect([clientToken.status, clientToken.body.token_type]).toEqual([200, 'bearer']);
    const explicitPassword = await service.http.post('/token').set('X-Forwarded-For', from).type('form').send({ grant_type: 'password', username: 'alice', password: 'secret' });
    expect(explicitPassword.status).toBe(429);
    expect((await login(service, freshAddress(), 'alice', 'secret')).status).toBe(200);
  });

  it('keeps logging everyone else in while one address floods correct logins', async () => {
    const service = await serve({});
    const flood = freshAddress();
    let flooding = true;
    const floodStatuses: number[] = [];
    let floodRetryAfter: string | undefined;
    const flooders = Array.from({ length: 40 }, async () => {
      while (flooding) {
        const answer = await login(service, flood, 'johndoe', 'secret');
        floodStatuses.push(answer.status);
        if (answer.status === 429) floodRetryAfter = answer.headers['retry-after'];
      }
    });
    // Wait until the flood is at full strength: the address has been refused, or has had many answers.
    while (!floodStatuses.includes(429) && floodStatuses.length < 100) await new Promise((resolve) => setTimeout(resolve, 20));
    const bystanders: number[] = [];
    for (const [username, password] of [['alice', 'secret'], ['stanley', 'secret'], ['mike', 'password']]) {
      for (let i = 0; i < 2; i += 1) bystanders.push((await login(service, freshAddress(), username, password)).status);
    }
    flooding = false;
    await Promise.all(flooders);
    expect(bystanders).toEqual(Array(6).fill(200));
    expect(Number(floodRetryAfter)).toBeGreaterThan(0);
    expect(Object.keys(tally(floodStatuses)).sort()).toEqual(['200', '429']);
  });
});

describe('equal time for failed logins', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(apps.map((service) => service.close()));
    await database?.drop();
  });

  it('answers a wrong password in the same time whatever the stored hash, and for an unknown user', async () => {
    // A floor well above the slowest verification here (bcrypt cost 12), so that a busy machine stays under it.
    const service = await startApp(database, { LOGIN_FAILURE_MIN_MS: '800' });
    apps.push(service);
    const users = service.app.get(DataSource).getRepository(User);
    const setHash = (username: string, hashedPassword: string) => users.update({ username }, { hashedPassword });
    const adapted = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
    const salt = randomBytes(16);
    for (const username of ['imported-pbkdf2', 'refused-argon2']) {
      await service.http.post('/users/signup').send({ username, password: 'a fine password' }).expect(201);
    }
    await setHash('imported-pbkdf2', `$pbkdf2-sha256$29000$${adapted(salt)}$${adapted(pbkdf2Sync('a fine password', salt, 29000, 32, 'sha256'))}`);
    const tooCostly = (await argon2.hash('a fine password', { type: argon2.argon2id, timeCost: 3 })).replace(/t=3/, 't=50');
    await setHash('refused-argon2', tooCostly);

    const kinds = { 'argon2id (alice)': 'alice', 'bcrypt (stanley)': 'stanley', pbkdf2: 'imported-pbkdf2', 'refused parameters': 'refused-argon2', unknown: 'nobody-at-all' };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
    // The yardstick: one argon2id verification of the tutorial's parameters, measured in each round
    // next to the logins, so that it is slowed down by whatever slows them down on this machine.
    const reference = await argon2.hash('x', { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 4 });
    const verifications: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (const [kind, username] of Object.entries(kinds)) {
        const started = performance.now();
        const answer = await service.http.post('/token').type('form').send({ username, password: 'not the password' });
        times[kind].push(performance.now() - started);
        expect(answer.status).toBe(401);
      }
      const started = performance.now();
      await argon2.verify(reference, 'y');
      verifications.push(performance.now() - started);
    }
    const medians = Object.values(times).map(median);
    const spread = Math.max(...medians) - Math.min(...medians);
    const oneVerification = median(verifications);
    if (!(spread < oneVerification)) {
      throw new Error(`failed logins differ by ${Math.round(spread)} ms, more than one verification (${Math.round(oneVerification)} ms): ${JSON.stringify(times)}`);
    }
  });
});
