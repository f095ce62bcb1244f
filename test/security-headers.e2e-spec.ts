// Security headers (helmet) on every answer, those that need HTTPS only when PUBLIC_URL is https, and
// CORS only for the origins listed in CORS_ORIGINS and those of public clients' redirect URIs.
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

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

  it.each(paths)('sends Vary: Origin with %s, with an Origin header or without one', async (_what, path) => {
    const other = await startApp(database, { CORS_ORIGINS: 'https://app.example.com' });
    try {
      for (const origin of [undefined, 'https://app.example.com', 'https://evil.example']) {
        const request = other.http.get(path);
        const response = await (origin === undefined ? request : request.set('Origin', origin));
        expect([origin, response.headers.vary]).toEqual([origin, 'Origin']);
        expect([origin, response.headers['access-control-allow-origin']]).toEqual([origin, origin === 'https://app.example.com' ? origin : undefined]);
      }
    } finally {
      await other.close();
    }
  });

  it('answers an OPTIONS request without Access-Control-Request-Method from a listed origin as a preflight, and others as FastAPI would (405 on a path with other methods), never in plain text', async () => {
    const other = await startApp(database, { CORS_ORIGINS: 'https://app.example.com' });
    try {
      const listed = await other.http.options('/users/me/').set('Origin', 'https://app.example.com');
      expect([listed.status, listed.headers['access-control-allow-origin'], listed.headers['access-control-allow-methods']]).toEqual([204, 'https://app.example.com', 'GET, POST, PATCH, DELETE']);
      const unlisted = await other.http.options('/users/me/').set('Origin', 'https://evil.example');
      expect([unlisted.status, unlisted.body, unlisted.headers['access-control-allow-origin']]).toEqual([405, { detail: 'Method Not Allowed' }, undefined]);
      const noOrigin = await other.http.options('/users/me/').set('Access-Control-Request-Method', 'GET');
      expect([noOrigin.status, noOrigin.body, noOrigin.headers['access-control-allow-origin']]).toEqual([405, { detail: 'Method Not Allowed' }, undefined]);
    } finally {
      await other.close();
    }
  });
});

describe('CORS for the pages of registered public clients', () => {
  const ROOT = 'root1';
  const ROOT_PASSWORD = 'first superuser passphrase';
  let database: TestDatabase;
  let service: TestApp;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    admin = (await service.http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200)).body.access_token;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const register = (body: object) =>
    service.http.post('/clients').auth(admin, { type: 'bearer' }).send({ scope: 'me items', ...body }).expect(201).then((response) => response.body);
  const allowedOrigin = async (origin: string) => (await service.http.get('/users/me/').set('Origin', origin)).headers['access-control-allow-origin'];

  it("answers the origin of a public client's redirect URI, at /token and the API, and no other", async () => {
    const spa = await register({ name: 'spa', public: true, redirect_uris: ['https://spa.example/callback', 'http://127.0.0.1:5173/callback', 'com.example.app:/callback'] });
    const preflight = await service.http.options('/token').set('Origin', 'https://spa.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://spa.example');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(await allowedOrigin('https://spa.example')).toBe('https://spa.example');
    expect(await allowedOrigin('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    for (const origin of ['https://evil.example', 'https://spa.example:8443', 'http://spa.example', 'https://spa.example.evil.example', 'null', 'http://127.0.0.1:5174']) {
      expect([origin, await allowedOrigin(origin)]).toEqual([origin, undefined]);
    }
    await service.http.delete(`/clients/${spa.client_id}`).auth(admin, { type: 'bearer' }).expect(204);
    expect(await withinASecond(() => allowedOrigin('https://spa.example'), (allowed) => allowed === undefined)).toBeUndefined();
  });

  it("does not answer a confidential client's redirect URIs: its server calls the service, not its pages", async () => {
    await register({ name: 'web-backend', redirect_uris: ['https://backend.example/callback'] });
    expect(await allowedOrigin('https://backend.example')).toBeUndefined();
  });
});
