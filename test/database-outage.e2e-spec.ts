// PostgreSQL going away under load, through a proxy the suite cuts (every connection reset, new
// ones refused) or turns into a black hole (connections open, nothing answers). Either way requests
// fail fast with 503 {"detail": …}, never hang and never accept: a revoked token stays refused
// because nothing is accepted without the database. /health/ready says not ready while
// /health/live stays up, and the service recovers by itself when the database is back.
// Runs in the PostgreSQL pass (TEST_DATABASE_URL).
import { CuttableProxy } from './support/cuttable-proxy.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) console.warn('Skipping the database outage suite: it runs when TEST_DATABASE_URL names a PostgreSQL');

/**
 * The slowest acceptable answer during an outage: the pool's 5 s query timeout, plus as much again
 * for a busy machine. Still an answer bounded by the pool's timeouts, where a hang has no bound.
 */
const FAIL_FAST_MS = 10_000;
/** How long recovery may take before it counts as never: it is polled, and comes within seconds. */
const RECOVERY_DEADLINE_MS = 60_000;

interface Answer {
  status: number;
  ms: number;
  body: unknown;
}

(postgres ? describe : describe.skip)('PostgreSQL outage', () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let service: TestApp;
  let token: string;
  let revoked: string;

  const get = async (path: string, bearer?: string): Promise<Answer> => {
    const started = Date.now();
    const request = service.http.get(path);
    const response = await (bearer ? request.set('Authorization', `Bearer ${bearer}`) : request);
    return { status: response.status, ms: Date.now() - started, body: response.body };
  };

  /** `lanes` clients calling `/users/me` back to back until `stop` resolves. */
  const load = async (lanes: number, stop: Promise<void>): Promise<Answer[]> => {
    let running = true;
    void stop.then(() => (running = false));
    const answers: Answer[] = [];
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (running) answers.push(await get('/users/me', token));
      }),
    );
    return answers;
  };

  const waitFor = async (what: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const expectFailedFast = (answers: Answer[]) => {
    const unexpected = answers.filter((answer) => answer.status !== 503 && answer.status !== 200);
    expect(unexpected).toEqual([]);
    for (const answer of answers.filter((a) => a.status === 503)) expect(answer.body).toEqual({ detail: 'Service Unavailable' });
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(FAIL_FAST_MS);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = new URL(database.url);
    proxy = new CuttableProxy(direct.hostname, Number(direct.port || 5432));
    const proxied = new URL(database.url);
    proxied.port = String(await proxy.listen());
    service = await startApp({ ...database, url: proxied.toString() });
    token = await login(service.http, 'johndoe', 'secret');
    revoked = await login(service.http, 'alice', 'secret');
    await service.http.post('/logout').set('Authorization', `Bearer ${revoked}`).expect(204);
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.close();
    await database?.drop();
  });

  afterEach(async () => {
    proxy.restore();
    await waitFor(async () => (await get('/health/ready')).status === 200, RECOVERY_DEADLINE_MS);
  });

  it('is ready and serves while the database answers', async () => {
    expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', details: { database: { status: 'up' } } } });
    expect((await get('/users/me', token)).status).toBe(200);
    expect((await get('/users/me', revoked)).status).toBe(401);
  });

  it.each(['cut', 'blackhole'] as const)('answers 503 fast under load when the connections are %s, then recovers by itself', async (fault) => {
    let endOutage!: () => void;
    const outage = new Promise<void>((resolve) => (endOutage = resolve));
    const warmUp = setTimeout(() => (fault === 'cut' ? proxy.cut() : proxy.blackhole()), 300);
    const during = load(4, outage);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ detail: 'Not ready', status: 'error', error: { database: { status: 'down' } } });
    expect((await get('/health/live')).status).toBe(200);
    const withRevoked = await get('/users/me', revoked);
    expect([withRevoked.status, withRevoked.body]).toEqual([503, { detail: 'Service Unavailable' }]);
    const loginAttempt = await service.http.post('/token').type('form').send({ username: 'johndoe', password: 'secret' });
    expect([loginAttempt.status, loginAttempt.body]).toEqual([503, { detail: 'Service Unavailable' }]);

    await new Promise((resolve) => setTimeout(resolve, 2000));
    endOutage();
    clearTimeout(warmUp);
    expectFailedFast(await during);

    proxy.restore();
    await waitFor(async () => (await get('/users/me', token)).status === 200, RECOVERY_DEADLINE_MS);
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get('/users/me', revoked)).status).toBe(401);
  });
});
