// OAuth2 clients: registration by superusers (and the admin CLI), secrets shown once and stored only
// as digests, rotation and deletion, client authentication (RFC 6749 §2.3.1), the client_credentials
// grant (§4.4), and user routes refusing a client's token. Public clients (no secret, never
// authenticated) and first-party clients, with the redirect URIs they are registered with.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { ClientRedirectUris1795435200000 } from '../src/database/migrations/1795435200000-client-redirect-uris.js';
import { DOCS_CLIENT_ID } from '../src/openapi.js';
import { createTestDatabase, login, migratedBefore, startApp, type TestApp, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

type Http = TestApp['http'];

const ROOT = 'root1';
const ROOT_PASSWORD = 'first superuser passphrase';
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const INVALID_CLIENT = { detail: 'Invalid client credentials', error: 'invalid_client' };
const CLIENT_TOKEN_REFUSED = { detail: "This token is an OAuth2 client's, not a user's: this route needs a user's token" };

interface Registered {
  client_id: string;
  client_secret: string;
  name: string;
  scope: string;
  redirect_uris: string[];
  public: boolean;
  first_party: boolean;
  created_at: string;
}

/** The built CLI in `dir` (an empty directory, so no .env is read), on the database at `databaseUrl`. */
function runCli(dir: string, databaseUrl: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** RFC 6749 §2.3.1: both parts form-urlencoded, then base64 of `id:secret`. */
function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

describe('OAuth2 clients', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;
  let dataSource: DataSource;
  /** root1 with `admin me items`. */
  let admin: string;
  /** root1 without `admin`. */
  let rootWithoutAdmin: string;
  let johndoe: string;

  const as = (token: string) => ({
    get: (url: string) => http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body?: object) => http.post(url).auth(token, { type: 'bearer' }).send(body),
    delete: (url: string) => http.delete(url).auth(token, { type: 'bearer' }),
  });

  async function register(name = 'billing-service', scope = 'me items'): Promise<Registered> {
    const response = await as(admin).post('/clients', { name, scope });
    expect(response.status).toBe(201);
    return response.body;
  }

  const clientCredentials = (authorization: string | undefined, form: Record<string, string> = {}) => {
    const request = http.post('/token').type('form');
    if (authorization) request.set('Authorization', authorization);
    return request.send({ grant_type: 'client_credentials', ...form });
  };

  async function clientToken(client: Registered, scope?: string): Promise<string> {
    const response = await clientCredentials(basic(client.client_id, client.client_secret), scope === undefined ? {} : { scope });
    expect(response.status).toBe(200);
    return response.body.access_token;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    http = service.http;
    dataSource = service.app.get(DataSource);
    const adminLogin = await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200);
    admin = adminLogin.body.access_token;
    [rootWithoutAdmin, johndoe] = await Promise.all([login(http, ROOT, ROOT_PASSWORD), login(http, 'johndoe', 'secret')]);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('administration (superusers with the admin scope)', () => {
    it('registers a client and answers its id and secret once, with 201', async () => {
      const response = await as(admin).post('/clients', { name: 'billing-service', scope: 'me items' });
      expect(response.status).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual(['client_id', 'client_secret', 'created_at', 'first_party', 'name', 'public', 'redirect_uris', 'scope']);
      expect(response.body).toEqual({
        client_id: expect.stringMatching(/^client~[0-9a-f]{24}$/),
        client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        name: 'billing-service',
        scope: 'me items',
        redirect_uris: [],
        public: false,
        first_party: false,
        created_at: expect.any(String),
      });
      expect(Math.abs(Date.parse(response.body.created_at) - Date.now())).toBeLessThan(60_000);
    });

    it('stores only the SHA-256 of the secret', async () => {
      const client = await register();
      const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM oauth_clients WHERE client_id = '${client.client_id}'`);
      expect(rows).toHaveLength(1);
      expect(rows[0].secret_hash).toBe(createHash('sha256').update(client.client_secret).digest('hex'));
      expect(JSON.stringify(await dataSource.query('SELECT * FROM oauth_clients'))).not.toContain(client.client_secret);
    });

    it('lists the clients without their secrets', async () => {
      const client = await register('listed', 'items');
      const response = await as(admin).get('/clients');
      expect(response.status).toBe(200);
      const listed = response.body.find((entry: { client_id: string }) => entry.client_id === client.client_id);
      expect(listed).toEqual({
        client_id: client.client_id,
        name: 'listed',
        scope: 'items',
        redirect_uris: [],
        public: false,
        first_party: false,
        created_at: client.created_at,
        secret_rotated_at: client.created_at,
      });
      expect(JSON.stringify(response.body)).not.toContain(client.client_secret);
      for (const entry of response.body) {
        expect(Object.keys(entry).sort()).toEqual(['client_id', 'created_at', 'first_party', 'name', 'public', 'redirect_uris', 'scope', 'secret_rotated_at']);
      }
    });

    it.each([
      ['the admin scope', { name: 'x', scope: 'me admin' }, 'scope'],
      ['an unknown scope', { name: 'x', scope: 'write' }, 'scope'],
      ['no scope', { name: 'x', scope: '' }, 'scope'],
      ['no name', { scope: 'me' }, 'name'],
    ])('refuses %s with 422', async (_case, body, field) => {
      const response = await as(admin).post('/clients', body);
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', field] })]);
    });

    it.each(['/clients', '/clients/client~000000000000000000000000/secret'])('answers 401 Not authenticated without a token at POST %s', async (url) => {
      const response = await http.post(url).send({ name: 'x', scope: 'me' });
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: { detail: 'Not authenticated' } });
    });

    it('answers 403 to a user who is not a superuser', async () => {
      for (const response of [await as(johndoe).post('/clients', { name: 'x', scope: 'me' }), await as(johndoe).get('/clients')]) {
        expect({ status: response.status, body: response.body }).toEqual({ status: 403, body: { detail: "The user doesn't have enough privileges" } });
      }
    });

    it('answers 403 to a superuser whose token lacks the admin scope', async () => {
      for (const response of [await as(rootWithoutAdmin).post('/clients', { name: 'x', scope: 'me' }), await as(rootWithoutAdmin).delete('/clients/client~000000000000000000000000')]) {
        expect({ status: response.status, body: response.body }).toEqual({ status: 403, body: { detail: 'Not enough permissions' } });
      }
    });

    it('gives a client a new secret: the new one works and the old one is refused at once', async () => {
      const client = await register();
      const response = await as(admin).post(`/clients/${client.client_id}/secret`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ client_id: client.client_id, client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), secret_rotated_at: expect.any(String) });
      expect(response.body.client_secret).not.toBe(client.client_secret);
      const old = await clientCredentials(basic(client.client_id, client.client_secret));
      expect({ status: old.status, body: old.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      expect((await clientCredentials(basic(client.client_id, response.body.client_secret))).status).toBe(200);
    });

    it('deletes a client with 204; its credentials and its tokens stop working', async () => {
      const client = await register();
      const token = await clientToken(client);
      expect((await as(token).get('/users/me')).status).toBe(403);
      const response = await as(admin).delete(`/clients/${client.client_id}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      const refused = await clientCredentials(basic(client.client_id, client.client_secret));
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      const later = await withinASecond(() => as(token).get('/users/me'), (answer) => answer.status === 401);
      expect({ status: later.status, body: later.body }).toEqual({ status: 401, body: { detail: 'Could not validate credentials' } });
    });

    it.each([
      ['DELETE', (id: string) => as(admin).delete(`/clients/${id}`)],
      ['POST …/secret', (id: string) => as(admin).post(`/clients/${id}/secret`)],
    ])('answers 404 Client not found to %s of an unknown client', async (_method, send) => {
      for (const id of ['client~000000000000000000000000', 'johndoe']) {
        const response = await send(id);
        expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: { detail: 'Client not found' } });
      }
    });
  });

  describe('the client_credentials grant', () => {
    let client: Registered;

    beforeAll(async () => {
      client = await register('reporting', 'me items');
    });

    it('issues a token to a client authenticated with HTTP Basic, with no refresh token and no-store', async () => {
      const response = await clientCredentials(basic(client.client_id, client.client_secret));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1800, scope: 'me items' });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
    });

    it('issues a token whose sub and client_id are the client, with no user, version or session', async () => {
      const claims = jwt.verify(await clientToken(client), service.config.secretKey, { algorithms: ['HS256'] }) as Record<string, unknown>;
      expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
      expect(claims).toMatchObject({ sub: client.client_id, client_id: client.client_id, scope: 'me items', iss: service.config.jwtIssuer, aud: service.config.jwtAudience });
      expect(claims.exp).toBe((claims.iat as number) + 1800);
    });

    it('accepts the credentials as form fields', async () => {
      const response = await clientCredentials(undefined, { client_id: client.client_id, client_secret: client.client_secret });
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('me items');
    });

    it('accepts a Basic header whose id is percent-encoded', async () => {
      const id = client.client_id.replace('~', '%7E');
      const header = `Basic ${Buffer.from(`${id}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
      expect((await clientCredentials(header)).status).toBe(200);
    });

    it('answers 400 invalid_request to credentials sent both ways at once', async () => {
      const response = await clientCredentials(basic(client.client_id, client.client_secret), { client_id: client.client_id, client_secret: client.client_secret });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: expect.any(String), error: 'invalid_request' });
    });

    it.each([
      ['a wrong secret', () => basic(client.client_id, 'wrong'), {}],
      ['an unknown client', () => basic('client~000000000000000000000000', 'wrong'), {}],
      ['a malformed Basic header', () => 'Basic !!!', {}],
      ['no credentials', () => undefined, {}],
      ['a form id without its secret', () => undefined, { client_id: 'client~000000000000000000000000' }],
    ])('answers 401 invalid_client with a Basic challenge to %s', async (_case, header, form) => {
      const response = await clientCredentials(header(), form);
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
    });

    it('grants the scopes asked for, within those the client is registered for', async () => {
      const response = await clientCredentials(basic(client.client_id, client.client_secret), { scope: 'items' });
      expect(response.body.scope).toBe('items');
      const narrow = await register('narrow', 'items');
      expect((await clientCredentials(basic(narrow.client_id, narrow.client_secret))).body.scope).toBe('items');
    });

    it.each([
      ['a scope it is not registered for', 'me', { detail: 'Scope not allowed for this client: me', error: 'invalid_scope' }],
      ['admin', 'admin', { detail: 'Scope not allowed for this client: admin', error: 'invalid_scope' }],
      ['an unknown scope', 'write', { detail: 'Invalid scope: write', error: 'invalid_scope' }],
    ])('answers 400 invalid_scope to %s', async (_case, scope, body) => {
      const narrow = await register('narrow', 'items');
      const response = await clientCredentials(basic(narrow.client_id, narrow.client_secret), { scope });
      expect({ status: response.status, body: response.body }).toEqual({ status: 400, body });
    });

    it.each([
      ['GET', '/users/me'],
      ['GET', '/users/me/items/'],
      ['GET', '/protected'],
      ['GET', '/users/'],
      ['GET', '/clients'],
      ['POST', '/logout'],
    ])("answers 403 to a client's token at the user route %s %s", async (method, url) => {
      const token = await clientToken(client);
      const response = method === 'GET' ? await as(token).get(url) : await as(token).post(url);
      expect({ status: response.status, body: response.body }).toEqual({ status: 403, body: CLIENT_TOKEN_REFUSED });
    });

    it('still answers 422 to an unknown grant_type', async () => {
      const response = await http.post('/token').type('form').send({ grant_type: 'implicit', username: 'johndoe', password: 'secret' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_pattern_mismatch', loc: ['body', 'grant_type'] })]);
    });
  });

  describe('the password grant beside registered clients', () => {
    let client: Registered;

    beforeAll(async () => {
      client = await register('first-party-app', 'me items');
    });

    const passwordGrant = (form: Record<string, string>, authorization?: string) => {
      const request = http.post('/token').type('form');
      if (authorization) request.set('Authorization', authorization);
      return request.send({ username: 'johndoe', password: 'secret', ...form });
    };

    it('is unchanged with the empty client_id and client_secret Swagger UI sends', async () => {
      const response = await passwordGrant({ grant_type: 'password', scope: '', client_id: '', client_secret: '' });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    });

    it('ignores a client_id that is not registered, as the tutorial does', async () => {
      expect((await passwordGrant({ client_id: 'my-app', client_secret: 'anything' })).status).toBe(200);
      expect((await passwordGrant({}, basic('my-app', 'anything'))).status).toBe(200);
    });

    it('answers 401 invalid_client when it names a registered client with a wrong secret', async () => {
      for (const response of [
        await passwordGrant({ client_id: client.client_id, client_secret: 'wrong' }),
        await passwordGrant({ client_id: client.client_id }),
        await passwordGrant({}, basic(client.client_id, 'wrong')),
      ]) {
        expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      }
    });

    it("logs in when it names a registered client with the client's secret", async () => {
      const response = await passwordGrant({ client_id: client.client_id, client_secret: client.client_secret });
      expect(response.status).toBe(200);
      expect((await as(response.body.access_token).get('/users/me')).body.username).toBe('johndoe');
    });
  });

  describe('public and first-party clients with redirect URIs', () => {
    const SPA_URIS = ['https://app.example/callback', 'http://127.0.0.1/callback', 'com.example.app:/callback'];

    async function registerPublic(name = 'single-page-app'): Promise<Registered> {
      const response = await as(admin).post('/clients', { name, scope: 'me', redirect_uris: SPA_URIS, public: true, first_party: true });
      expect(response.status).toBe(201);
      return response.body;
    }

    it('registers a public first-party client with its redirect URIs in order, and no secret', async () => {
      const response = await as(admin).post('/clients', { name: 'single-page-app', scope: 'me', redirect_uris: SPA_URIS, public: true, first_party: true });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        client_id: expect.stringMatching(/^client~[0-9a-f]{24}$/),
        name: 'single-page-app',
        scope: 'me',
        redirect_uris: SPA_URIS,
        public: true,
        first_party: true,
        created_at: expect.any(String),
      });
      const [row] = await dataSource.query(`SELECT secret_hash, redirect_uris FROM oauth_clients WHERE client_id = '${response.body.client_id}'`);
      expect(row.secret_hash).toBeNull();
      expect(JSON.parse(row.redirect_uris)).toEqual(SPA_URIS);
    });

    it('lists a public client with its redirect URIs and no secret time', async () => {
      const client = await registerPublic('listed-app');
      const listed = (await as(admin).get('/clients')).body.find((entry: { client_id: string }) => entry.client_id === client.client_id);
      expect(listed).toEqual({
        client_id: client.client_id,
        name: 'listed-app',
        scope: 'me',
        redirect_uris: SPA_URIS,
        public: true,
        first_party: true,
        created_at: client.created_at,
        secret_rotated_at: null,
      });
    });

    it('registers a confidential first-party client with a redirect URI, and its secret works', async () => {
      const response = await as(admin).post('/clients', { name: 'web-app', scope: 'me items', redirect_uris: ['https://web.example/cb'], first_party: true });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ redirect_uris: ['https://web.example/cb'], public: false, first_party: true, client_secret: expect.any(String) });
      expect((await clientCredentials(basic(response.body.client_id, response.body.client_secret))).status).toBe(200);
    });

    it('keeps each redirect URI once, in the order first given', async () => {
      const response = await as(admin).post('/clients', { name: 'twice', scope: 'me', redirect_uris: ['https://b.example/cb', 'https://a.example/cb', 'https://b.example/cb'] });
      expect(response.body.redirect_uris).toEqual(['https://b.example/cb', 'https://a.example/cb']);
    });

    it.each([
      ['a fragment', 'https://app.example/cb#x', /fragment/],
      ['http on a host that is not loopback', 'http://app.example/cb', /loopback/],
      ['javascript:', 'javascript:alert(1)', /javascript:/],
      ['data:', 'data:text/html,hi', /data:/],
      ['a wildcard', 'https://*.app.example/cb', /wildcard/],
      ['userinfo', 'https://app.example@evil.example/cb', /user name/],
      ['a relative URI', '/callback', /absolute/],
      ['a form that is not the normal one', 'https://APP.example/cb', /normal form, here https:\/\/app\.example\/cb/],
      ['a scheme of no app', 'myapp:/callback', /myapp:/],
    ])('refuses a redirect URI with %s with 422, naming it', async (_case, uri, problem) => {
      const response = await as(admin).post('/clients', { name: 'x', scope: 'me', redirect_uris: ['https://app.example/ok', uri] });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        { type: 'value_error', loc: ['body', 'redirect_uris'], msg: expect.stringMatching(/^Value error, redirect_uris\[1\]: /), input: ['https://app.example/ok', uri] },
      ]);
      expect(response.body.detail[0].msg).toMatch(problem);
    });

    it.each([
      ['redirect_uris that are not a list', { redirect_uris: 'https://app.example/cb' }, 'redirect_uris', 'list_type'],
      ['a redirect URI that is not a string', { redirect_uris: [42] }, 'redirect_uris', 'string_type'],
      ['more than 10 redirect URIs', { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/${i}`) }, 'redirect_uris', 'too_long'],
      ['public that is not a boolean', { public: 'yes', redirect_uris: ['https://app.example/cb'] }, 'public', 'bool_type'],
      ['first_party that is not a boolean', { first_party: 1 }, 'first_party', 'bool_type'],
    ])('refuses %s with 422', async (_case, fields, field, type) => {
      const response = await as(admin).post('/clients', { name: 'x', scope: 'me', ...fields });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type, loc: ['body', field] })]);
    });

    it.each([
      ['none', {}],
      ['an empty list', { redirect_uris: [] }],
    ])('refuses a public client with %s of redirect URIs with 422', async (_case, fields) => {
      const response = await as(admin).post('/clients', { name: 'x', scope: 'me', public: true, ...fields });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        { type: 'value_error', loc: ['body', 'public'], msg: 'Value error, A public client needs at least one redirect URI', input: true },
      ]);
    });

    it('answers 400 to a new secret for a public client', async () => {
      const client = await registerPublic();
      const response = await as(admin).post(`/clients/${client.client_id}/secret`);
      expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: { detail: 'A public client has no secret' } });
    });

    it.each([
      ['HTTP Basic with a made-up secret', (id: string) => ({ header: basic(id, 'anything'), form: {} })],
      ['the form with a made-up secret', (id: string) => ({ header: undefined, form: { client_id: id, client_secret: 'anything' } })],
      ['the form with its id alone', (id: string) => ({ header: undefined, form: { client_id: id } })],
    ])('answers 401 invalid_client to a public client at client_credentials, with %s', async (_case, presentation) => {
      const client = await registerPublic();
      const { header, form } = presentation(client.client_id);
      const response = await clientCredentials(header, form);
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
    });

    it('answers 401 invalid_client to a public client at /introspect', async () => {
      const client = await registerPublic();
      const token = await login(http, 'johndoe', 'secret');
      for (const request of [
        http.post('/introspect').type('form').set('Authorization', basic(client.client_id, 'anything')).send({ token }),
        http.post('/introspect').type('form').send({ token, client_id: client.client_id, client_secret: 'anything' }),
      ]) {
        const response = await request;
        expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      }
    });

    it('answers 401 invalid_client to a password grant that names a public client', async () => {
      const client = await registerPublic();
      for (const form of [{ client_id: client.client_id }, { client_id: client.client_id, client_secret: 'anything' }]) {
        const response = await http.post('/token').type('form').send({ username: 'johndoe', password: 'secret', ...form });
        expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      }
    });
  });

  describe('the admin CLI', () => {
    let dir: string;

    const cli = (args: string[]) => runCli(dir, database.url, args);

    beforeAll(() => {
      if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first (npm test does)');
      dir = mkdtempSync(join(tmpdir(), 'oauth2-clients-cli-'));
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('create-client --json prints exactly one line of JSON whose credentials work at once', async () => {
      const result = cli(['create-client', 'nightly-export', '--scopes', 'items', '--json']);
      expect(result.status).toBe(0);
      const lines = result.stdout.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(1);
      const printed = JSON.parse(lines[0]);
      expect(printed).toEqual({
        client_id: expect.stringMatching(/^client~[0-9a-f]{24}$/),
        client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        redirect_uris: [],
        public: false,
        first_party: false,
      });
      const response = await clientCredentials(basic(printed.client_id, printed.client_secret));
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('items');
    });

    it('create-client prints the id and the secret and says the secret is shown once', () => {
      const result = cli(['create-client', 'dashboard', '--scopes', 'me items']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/client_id: +client~[0-9a-f]{24}\n/);
      expect(result.stdout).toMatch(/client_secret: +[A-Za-z0-9_-]{43}\n/);
      expect(result.stdout).toMatch(/shown only this once/);
    });

    it('create-client refuses the admin scope', () => {
      const result = cli(['create-client', 'greedy', '--scopes', 'admin', '--json']);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/scope/);
    });

    it('create-client --public --first-party --redirect-uri … --json registers a public client and prints no secret', async () => {
      const result = cli([
        'create-client', 'mobile-app', '--scopes', 'me', '--public', '--first-party',
        '--redirect-uri', 'com.example.app:/callback', '--redirect-uri', 'http://127.0.0.1/callback', '--json',
      ]);
      expect(result.status).toBe(0);
      const printed = JSON.parse(result.stdout);
      expect(printed).toEqual({
        client_id: expect.stringMatching(/^client~[0-9a-f]{24}$/),
        redirect_uris: ['com.example.app:/callback', 'http://127.0.0.1/callback'],
        public: true,
        first_party: true,
      });
      const listed = (await as(admin).get('/clients')).body.find((entry: { client_id: string }) => entry.client_id === printed.client_id);
      expect(listed).toMatchObject({ name: 'mobile-app', scope: 'me', redirect_uris: printed.redirect_uris, public: true, first_party: true });
      const refused = await clientCredentials(undefined, { client_id: printed.client_id, client_secret: 'anything' });
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: INVALID_CLIENT });
    });

    it('create-client prints a public client without a secret line', () => {
      const result = cli(['create-client', 'spa', '--scopes', 'me', '--public', '--redirect-uri', 'https://spa.example/cb']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Created public client spa with scope "me"\.\nclient_id: +client~[0-9a-f]{24}\nredirect_uri: +https:\/\/spa\.example\/cb\nA public client has no secret\.\n$/);
    });

    it('create-client gives a confidential client its redirect URIs, with a secret', () => {
      const result = cli(['create-client', 'web', '--scopes', 'me', '--redirect-uri', 'https://web.example/cb', '--json']);
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), redirect_uris: ['https://web.example/cb'], public: false });
    });

    it.each([
      ['a fragment', 'https://app.example/cb#x', '--redirect-uri https://app.example/cb#x: A redirect URI may not have a fragment (RFC 6749 §3.1.2)\n'],
      ['javascript:', 'javascript:alert(1)', '--redirect-uri javascript:alert(1): A redirect URI may not use the javascript: scheme\n'],
    ])('create-client refuses a redirect URI with %s, in one line, with status 1', (_case, uri, stderr) => {
      expect(cli(['create-client', 'bad', '--scopes', 'me', '--redirect-uri', uri, '--json'])).toEqual({ status: 1, stdout: '', stderr });
    });

    it('create-client refuses a public client without a redirect URI', () => {
      expect(cli(['create-client', 'lonely', '--scopes', 'me', '--public', '--json'])).toEqual({
        status: 1,
        stdout: '',
        stderr: 'A public client needs at least one --redirect-uri\n',
      });
    });

    it("delete-client deletes it: its credentials stop working, and its tokens within a second", async () => {
      const created = JSON.parse(cli(['create-client', 'short-lived', '--scopes', 'me', '--json']).stdout);
      const token = (await clientCredentials(basic(created.client_id, created.client_secret))).body.access_token;
      const result = cli(['delete-client', created.client_id]);
      expect(result).toMatchObject({ status: 0, stdout: `Deleted client ${created.client_id}.\n` });
      const refused = await withinASecond(() => clientCredentials(basic(created.client_id, created.client_secret)), (answer) => answer.status === 401);
      expect(refused.body).toEqual(INVALID_CLIENT);
      const later = await withinASecond(() => as(token).get('/users/me'), (answer) => answer.status === 401);
      expect(later.status).toBe(401);
      expect(cli(['delete-client', created.client_id])).toMatchObject({ status: 1, stderr: 'Client not found\n' });
    });
  });
});

describe('OAuth2 clients registered before redirect URIs existed', () => {
  const CLIENT_ID = 'client~0123456789abcdef01234567';
  const SECRET = 'a secret registered long ago';
  let database: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = await migratedBefore(database, ClientRedirectUris1795435200000);
    await before
      .createQueryBuilder()
      .insert()
      .into('oauth_clients')
      .values({
        client_id: CLIENT_ID,
        name: 'old-service',
        secret_hash: createHash('sha256').update(SECRET).digest('hex'),
        scope: 'items',
        created_at: 1_700_000_000_000,
        secret_rotated_at: 1_700_000_000_000,
      })
      .execute();
    await before.destroy();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('keeps them confidential, not first-party, without redirect URIs, and their secret working', async () => {
    const adminLogin = await service.http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin' }).expect(200);
    const listed = await service.http.get('/clients').auth(adminLogin.body.access_token, { type: 'bearer' });
    // Beside the API docs' own client, which the service registers as it starts.
    expect(listed.body.filter((client: { client_id: string }) => client.client_id !== DOCS_CLIENT_ID)).toEqual([
      {
        client_id: CLIENT_ID,
        name: 'old-service',
        scope: 'items',
        redirect_uris: [],
        public: false,
        first_party: false,
        created_at: '2023-11-14T22:13:20.000Z',
        secret_rotated_at: '2023-11-14T22:13:20.000Z',
      },
    ]);
    const token = await service.http.post('/token').type('form').set('Authorization', basic(CLIENT_ID, SECRET)).send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
  });
});
