// The wire contract of docs/api.md ("At a glance" and the sections after it), row by row, over
// HTTP against a real database.
import { MULTIPART_ROUTES } from '../src/common/multipart-values.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const USER_KEYS = ['disabled', 'email', 'full_name', 'username'];

describe('wire contract (FastAPI tutorial compatible)', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let johndoe: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
    http = service.http;
    johndoe = await login(http, 'johndoe', 'secret');
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('POST /token', () => {
    it('answers 200 with a bearer access token and no-store caching headers', async () => {
      const response = await http.post('/token').type('form').send({ username: 'johndoe', password: 'secret' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 1800,
        refresh_token: expect.any(String),
        scope: 'me items',
      });
      expect(response.body.access_token.split('.')).toHaveLength(3);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
    });

    it('accepts exactly the fields Swagger UI sends', async () => {
      const response = await http
        .post('/token')
        .type('form')
        .send('grant_type=password&username=johndoe&password=secret&scope=&client_id=&client_secret=');
      expect(response.status).toBe(200);
      expect(response.body.token_type).toBe('bearer');
    });

    it('accepts a multipart form body', async () => {
      const response = await http.post('/token').field('username', 'johndoe').field('password', 'secret');
      expect(response.status).toBe(200);
      expect(response.body.token_type).toBe('bearer');
    });

    it('answers 401 "Incorrect username or password" with WWW-Authenticate for a wrong password', async () => {
      const response = await http.post('/token').type('form').send({ username: 'johndoe', password: 'wrong' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Incorrect username or password' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers an unknown user exactly like a wrong password', async () => {
      const wrong = await http.post('/token').type('form').send({ username: 'johndoe', password: 'wrong' });
      const unknown = await http.post('/token').type('form').send({ username: 'nobody', password: 'wrong' });
      expect(unknown.status).toBe(wrong.status);
      expect(unknown.text).toBe(wrong.text);
      expect(unknown.headers['www-authenticate']).toBe(wrong.headers['www-authenticate']);
    });

    it('answers 422 with a FastAPI detail list for missing fields, never echoing the password', async () => {
      const response = await http.post('/token').type('form').send({ password: 'hunter2-secret' });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        detail: [{ type: 'missing', loc: ['body', 'username'], msg: 'Field required', input: null }],
      });
      const both = await http.post('/token').type('form').send('');
      expect(both.status).toBe(422);
      expect(both.body.detail.map((issue: { loc: string[] }) => issue.loc)).toEqual([
        ['body', 'username'],
        ['body', 'password'],
      ]);
      expect(both.body.detail[1]).not.toHaveProperty('input');
    });

    it('treats an empty field as missing, as FastAPI does for forms', async () => {
      const response = await http.post('/token').type('form').send({ username: 'johndoe', password: '' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([{ type: 'missing', loc: ['body', 'password'], msg: 'Field required' }]);
    });

    it('answers 422 for a grant_type other than password, refresh_token, client_credentials or authorization_code', async () => {
      const response = await http
        .post('/token')
        .type('form')
        .send({ grant_type: 'implicit', username: 'johndoe', password: 'secret' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        {
          type: 'string_pattern_mismatch',
          loc: ['body', 'grant_type'],
          msg: "String should match pattern '^(password|refresh_token|client_credentials|authorization_code)$'",
          input: 'implicit',
          ctx: { pattern: '^(password|refresh_token|client_credentials|authorization_code)$' },
        },
      ]);
    });

    it('answers 422 for a repeated field instead of passing an array on', async () => {
      const response = await http.post('/token').type('form').send('username=johndoe&username=alice&password=secret');
      expect(response.status).toBe(422);
      expect(response.body.detail[0]).toMatchObject({ type: 'string_type', loc: ['body', 'username'] });
    });

    it('does not read a bracketed field as an object', async () => {
      const response = await http.post('/token').type('form').send('username[$ne]=x&password=secret');
      expect(response.status).toBe(422);
      expect(response.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'username'] });
    });

    it.each([
      ['username', 'username=john%00doe&password=secret', { type: 'string_nul_byte', loc: ['body', 'username'], msg: 'String should not contain NUL bytes', input: null }],
      ['password', 'username=johndoe&password=sec%00ret', { type: 'string_nul_byte', loc: ['body', 'password'], msg: 'String should not contain NUL bytes' }],
    ])('answers 422 for a NUL byte in the %s, as for any other body', async (_field, form, issue) => {
      const response = await http.post('/token').type('form').send(form);
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [issue] });
    });

    it('answers 422 string_too_long for a username over 254 characters (the longest email), echoing it', async () => {
      const username = 'a'.repeat(255);
      const response = await http.post('/token').type('form').send({ username, password: 'secret' });
      expect([response.status, response.body]).toEqual([
        422,
        { detail: [{ type: 'string_too_long', loc: ['body', 'username'], msg: 'String should have at most 254 characters', input: username, ctx: { max_length: 254 } }] },
      ]);
      const longest = await http.post('/token').type('form').send({ username: `${'a'.repeat(242)}@example.com`, password: 'secret' });
      expect(longest.status).toBe(401);
    });

    it.each([
      ['password', 1024, { username: 'johndoe' }],
      ['scope', 256, { username: 'johndoe', password: 'secret' }],
      ['client_id', 256, { username: 'johndoe', password: 'secret' }],
      ['client_secret', 1024, { username: 'johndoe', password: 'secret' }],
      ['refresh_token', 512, { grant_type: 'refresh_token' }],
    ])('answers 422 string_too_long for a %s over %i characters, never echoing a secret', async (field, max, rest) => {
      const response = await http
        .post('/token')
        .type('form')
        .send({ ...rest, [field]: 'x'.repeat(max + 1) });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        { type: 'string_too_long', loc: ['body', field], msg: `String should have at most ${max} characters`, ...(field === 'scope' || field === 'client_id' ? { input: 'x'.repeat(max + 1) } : {}), ctx: { max_length: max } },
      ]);
    });

    it('answers a multipart field cut at its size limit as too long, and never checks a cut password', async () => {
      const username = await http.post('/token').field('username', '\uFDFA'.repeat(3000)).field('password', 'secret');
      expect(username.status).toBe(422);
      expect(username.body.detail).toEqual([expect.objectContaining({ type: 'string_too_long', loc: ['body', 'username'], ctx: { max_length: 254 } })]);
      const password = await http.post('/token').field('username', 'johndoe').field('password', 'x'.repeat(20_000));
      expect(password.status).toBe(422);
      expect(password.body.detail).toEqual([{ type: 'string_too_long', loc: ['body', 'password'], msg: 'String should have at most 1024 characters', ctx: { max_length: 1024 } }]);
    });

    it('ignores credentials in the query string', async () => {
      const response = await http.post('/token?username=johndoe&password=secret').type('form').send('');
      expect(response.status).toBe(422);
    });

    it('reads only form bodies: JSON credentials are missing fields', async () => {
      const response = await http.post('/token').send({ username: 'johndoe', password: 'secret' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toHaveLength(2);
    });

    it('answers 400 "Inactive user" to a disabled user with the right password', async () => {
      const response = await http.post('/token').type('form').send({ username: 'eve', password: 'secret' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: 'Inactive user' });
    });

    it('answers 401 to a disabled user with a wrong password, revealing nothing', async () => {
      const response = await http.post('/token').type('form').send({ username: 'eve', password: 'wrong' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Incorrect username or password' });
    });

    it('finds the user whatever the case of the name', async () => {
      const token = await login(http, 'JohnDoe', 'secret');
      const me = await http.get('/users/me').auth(token, { type: 'bearer' });
      expect(me.body.username).toBe('johndoe');
    });
  });

  describe('GET /users/me/', () => {
    it.each(['/users/me/', '/users/me'])('answers exactly the four public fields at %s', async (path) => {
      const response = await http.get(path).auth(johndoe, { type: 'bearer' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        username: 'johndoe',
        email: 'johndoe@example.com',
        full_name: 'John Doe',
        disabled: false,
      });
      expect(Object.keys(response.body).sort()).toEqual(USER_KEYS);
    });

    it('answers 401 "Not authenticated" with WWW-Authenticate without a token', async () => {
      const response = await http.get('/users/me/');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 "Not authenticated" for a scheme other than Bearer', async () => {
      const response = await http.get('/users/me/').set('Authorization', `Basic ${Buffer.from('johndoe:secret').toString('base64')}`);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
    });

    it('answers 401 "Could not validate credentials" for a bad token', async () => {
      const response = await http.get('/users/me/').auth('not-a-jwt', { type: 'bearer' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Could not validate credentials' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('does not redirect between the slash and no-slash forms', async () => {
      const response = await http.get('/users/me').auth(johndoe, { type: 'bearer' });
      expect(response.status).toBe(200);
      expect(response.headers.location).toBeUndefined();
    });
  });

  describe('GET /users/me/items/', () => {
    it.each(['/users/me/items/', '/users/me/items'])("answers the caller's items at %s", async (path) => {
      const response = await http.get(path).auth(johndoe, { type: 'bearer' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([expect.objectContaining({ item_id: 'Foo', owner: 'johndoe' })]);
    });

    it("does not show one user another user's items", async () => {
      const alice = await login(http, 'alice', 'secret');
      const response = await http.get('/users/me/items/').auth(alice, { type: 'bearer' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });

    it('answers 401 without a token', async () => {
      const response = await http.get('/users/me/items/');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
    });
  });

  describe('GET /protected', () => {
    it('greets a caller with a valid token', async () => {
      const response = await http.get('/protected').auth(johndoe, { type: 'bearer' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ message: 'Hello, authenticated user!' });
    });

    it('answers 401 (not 403) without a token', async () => {
      const response = await http.get('/protected');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('errors outside the routes', () => {
    it('answers 404 {"detail": "Not Found"} for an unknown path', async () => {
      const response = await http.get('/no/such/path');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: 'Not Found' });
    });

    it('answers 405 with Allow for a known path and another method', async () => {
      const response = await http.put('/users/me/').auth(johndoe, { type: 'bearer' });
      expect(response.status).toBe(405);
      expect(response.body).toEqual({ detail: 'Method Not Allowed' });
      expect(response.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
      const token = await http.get('/token');
      expect(token.status).toBe(405);
      expect(token.headers.allow).toBe('POST');
    });

    it.each([
      ['a path that does not decode', '/users/%E0%A4%A', 400, 'Bad Request'],
      ['a lone surrogate in the path', '/users/%ED%A0%80', 400, 'Bad Request'],
      ['a bare percent sign', '/items/%', 400, 'Bad Request'],
      ['a path parameter over the router limit', `/items/${'a'.repeat(500)}`, 414, 'URI Too Long'],
    ])('answers {"detail": …} for %s, before any route', async (_what, path, status, detail) => {
      const response = await http.get(path).auth(johndoe, { type: 'bearer' });
      expect([response.status, response.body]).toEqual([status, { detail }]);
      expect(response.text).not.toContain('FST_');
    });

    it('answers 422 with a detail list for malformed JSON', async () => {
      const response = await http.post('/token').set('Content-Type', 'application/json').send('{"username": ');
      expect(response.status).toBe(422);
      expect(response.body.detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error' });
    });

    it('answers 413 {"detail": …} for a body over the limit', async () => {
      const response = await http
        .post('/token')
        .type('form')
        .send(`username=johndoe&password=${'a'.repeat(2 * 1024 * 1024)}`);
      expect(response.status).toBe(413);
      expect(response.body).toEqual({ detail: 'Payload Too Large' });
    });

    it.each([
      ['POST', '/revoke'],
      ['POST', '/users/signup'],
      ['POST', '/items/'],
      ['PATCH', '/users/me'],
    ])('answers 415 {"detail": …} to a multipart body at %s %s: multipart is read at POST /token only', async (method, path) => {
      const response = await http[method.toLowerCase() as 'post' | 'patch'](path)
        .auth(johndoe, { type: 'bearer' })
        .field('token', 'x')
        .field('username', 'janedoe');
      expect([response.status, response.body]).toEqual([415, { detail: 'Unsupported Media Type' }]);
      expect(response.headers.connection).toBe('close');
    });

    it('answers 413 {"detail": …} to a multipart login declared over the body limit, without reading it', async () => {
      const response = await http
        .post('/token')
        .set('Content-Type', 'multipart/form-data; boundary=XyZ')
        .send(`--XyZ\r\nContent-Disposition: form-data; name="username"\r\n\r\n${'a'.repeat(100_000)}\r\n--XyZ--\r\n`);
      expect([response.status, response.body]).toEqual([413, { detail: 'Payload Too Large' }]);
    });

    it('answers 431 {"detail": …} for headers over the limit', async () => {
      const response = await http.get('/users/me').set('X-Padding', 'a'.repeat(20_000));
      expect(response.status).toBe(431);
      expect(response.body).toEqual({ detail: 'Request Header Fields Too Large' });
    });

    it('never answers in Nest\'s {"statusCode", "message"} shape', async () => {
      const answers = await Promise.all([
        http.get('/nope'),
        http.put('/token'),
        http.get('/users/me'),
        http.post('/token').type('form').send('username=x'),
      ]);
      for (const answer of answers) {
        expect(answer.body).toHaveProperty('detail');
        expect(answer.body).not.toHaveProperty('statusCode');
        expect(answer.body).not.toHaveProperty('message');
      }
    });
  });

  describe('OpenAPI and docs', () => {
    let document: {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    };

    beforeAll(async () => {
      const response = await http.get('/openapi.json').expect(200);
      document = response.body;
    });

    it('reads multipart bodies exactly where it declares them', () => {
      const declared = Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => (operation as { requestBody?: { content?: Record<string, unknown> } }).requestBody?.content?.['multipart/form-data'])
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      expect(declared).toEqual([...MULTIPART_ROUTES]);
    });

    it('declares an oauth2 password flow whose tokenUrl is "token"', () => {
      expect(document.components.securitySchemes.OAuth2PasswordBearer).toEqual({
        type: 'oauth2',
        flows: { password: { tokenUrl: 'token', scopes: { me: expect.any(String), items: expect.any(String), admin: expect.any(String) } } },
      });
    });

    it('declares the OAuth2 security of every operation but the open ones', () => {
      const open = ['/token', '/authorize', '/revoke', '/introspect', '/.well-known/jwks.json', '/.well-known/oauth-authorization-server', '/users/signup', '/verify-email', '/password-recovery/{email}', '/reset-password', '/health/live', '/health/ready'];
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (open.includes(path)) expect({ path, security: operation.security }).toEqual({ path, security: [] });
          else {
            // The tutorial's password scheme, or the authorization code flow's: a client's token never has admin.
            const scopes = (operation.security?.[0] as Record<string, string[]> | undefined)?.OAuth2PasswordBearer ?? [];
            const alternatives = scopes.includes('admin') ? [] : [{ OAuth2AuthorizationCode: scopes }];
            expect({ path, method, security: operation.security }).toEqual({ path, method, security: [{ OAuth2PasswordBearer: expect.any(Array) }, ...alternatives] });
          }
        }
      }
    });

    it('answers 401 without a token on every operation it documents as protected', async () => {
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (!operation.security?.length) continue;
          const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
          const response = await http[method as 'get'](url);
          expect({ method, url, status: response.status, body: response.body }).toEqual({
            method,
            url,
            status: 401,
            body: { detail: 'Not authenticated' },
          });
        }
      }
    });

    it('documents the Token, User, Item and error schemas', () => {
      expect(Object.keys(document.components.schemas)).toEqual(
        expect.arrayContaining(['TokenResponse', 'PublicUser', 'ItemView', 'ErrorDetail', 'HttpValidationError']),
      );
    });

    it('serves Swagger UI and its assets from the service itself', async () => {
      const page = await http.get('/docs').expect(200);
      expect(page.text).toContain('swagger-ui');
      expect(page.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      const asset = await http.get('/docs/swagger-ui-bundle.js');
      expect(asset.status).toBe(200);
    });

    it('serves ReDoc and its script from the service itself', async () => {
      const page = await http.get('/redoc').expect(200);
      expect(page.text).toContain('<redoc spec-url="/openapi.json">');
      expect(page.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      const script = await http.get('/redoc/redoc.standalone.js').buffer(true).expect(200);
      expect(script.headers['content-type']).toMatch(/^application\/javascript/);
      // The footer of its menu ("API docs by Redocly") stays, without the logo from its vendor's CDN.
      expect(script.text).toContain('API docs by Redocly');
      expect(script.text).not.toContain('cdn.redoc.ly');
    });

    it('serves the icon both pages link, at /favicon.ico where browsers look for it', async () => {
      for (const path of ['/docs', '/redoc']) {
        expect((await http.get(path)).text).toMatch(/<link rel=['"]icon['"] href=['"]\/favicon\.ico['"]/);
      }
      const icon = await http.get('/favicon.ico').expect(200);
      expect(icon.headers['content-type']).toBe('image/x-icon');
      // An ICO header: reserved 0, type 1 (icon), then the number of images.
      expect([...(icon.body as Buffer).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    });
  });
});
