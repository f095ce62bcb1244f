// Liveness and readiness as a load balancer sees them: open routes, the database checked, and Redis
// reported as degraded (never unready) when it is configured but away, since rate limits then count
// in-process. The database going away is in database-outage.e2e-spec.ts.
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('health', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  const withApp = async (env: Record<string, string>, run: (service: TestApp) => Promise<void>) => {
    const service = await startApp(database, env);
    try {
      await run(service);
    } finally {
      await service.close();
    }
  };

  it('answers live and ready without a token, with the database up', () =>
    withApp({}, async ({ http }) => {
      const live = await http.get('/health/live');
      expect([live.status, live.body]).toEqual([200, { status: 'ok', info: {}, error: {}, details: {} }]);
      const ready = await http.get('/health/ready/');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });
    }));

  it('reports Redis up when it answers', () =>
    withApp({ REDIS_URL: redisUrl }, async ({ http }) => {
      const ready = await http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
    }));

  it('stays ready but degraded when the configured Redis cannot be reached', () =>
    withApp({ REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'fatal' }, async ({ http }) => {
      const ready = await http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'degraded', details: { database: { status: 'up' }, redis: { status: 'degraded' } } });
      expect(ready.body.details.redis.message).toMatch(/rate limits count in this process only/);
    }));

  it('lists both routes in the OpenAPI document, without a security requirement', () =>
    withApp({}, async ({ http }) => {
      const { body } = await http.get('/openapi.json');
      expect(body.paths['/health/live'].get.security).toEqual([]);
      expect(body.paths['/health/ready'].get.responses['503']).toBeDefined();
    }));
});
