// Security headers (helmet) on every answer, those that need HTTPS only when PUBLIC_URL is https, and
// CORS off unless origins are listed.
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

describe('security headers and CORS', () => {
  let database: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const paths = [
    ['a protected route without a token', '/users/me'],
    ['an unknown path', '/nope'],
    ['the docs', '/docs'],
    ['ReDoc', '/redoc'],
    ['the OpenAPI document', '/openapi.json'],
    ['the icon', '/favicon.ico'],
  ];

  it.each(paths)('sends helmet headers with %s', async (_what, path) => {
    const response = await service.http.get(path);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it.each(paths)('over plain HTTP (PUBLIC_URL unset), sends with %s no header that needs HTTPS', async (_what, path) => {
    const response = await service.http.get(path);
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(response.headers['origin-agent-cluster']).toBeUndefined();
  });

  describe('reached over HTTPS (PUBLIC_URL https://…)', () => {
    let overHttps: TestApp;

    beforeAll(async () => {
      overHttps = await startApp(database, { PUBLIC_URL: 'https://id.example.com' });
    });

    afterAll(async () => {
      await overHttps?.close();
    });

    it.each(paths)('upgrades requests, pins HTTPS and isolates the window, with %s', async (_what, path) => {
      const response = await overHttps.http.get(path);
      expect(response.headers['content-security-policy']).toMatch(/(^|;)upgrade-insecure-requests(;|$)/);
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['origin-agent-cluster']).toBe('?1');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  it('sends no CORS headers by default', async () => {
    const response = await service.http.get('/users/me').set('Origin', 'https://evil.example');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers CORS preflights for the listed origins only, and still 404 for unknown paths', async () => {
    const other = await startApp(database, { CORS_ORIGINS: 'https://app.example.com' });
    try {
      const preflight = await other.http
        .options('/token')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
      const refused = await other.http.get('/openapi.json').set('Origin', 'https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const unknown = await other.http.get('/nope');
      expect([unknown.status, unknown.body]).toEqual([404, { detail: 'Not Found' }]);
    } finally {
      await other.close();
    }
  });
});
