// OAuth2 confidential clients: registration by superusers (and the admin CLI), secrets shown once
// and stored only as digests, rotation and deletion, client authentication (RFC 6749 §2.3.1), the
// client_credentials grant (§4.4), and user routes refusing a client's token.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';
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
  created_at: string;
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
      expect(Object.keys(response.body).sort()).toEqual(['client_id', 'client_secret', 'created_at', 'name', 'scope']);
      expect(response.body).toEqual({
        client_id: expect.stringMatching(/^client~[0-9a-f]{24}$/),
        client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        name: 'billing-service',
        scope: 'me items',
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
      expect(listed).toEqual({ client_id: client.client_id, name: 'listed', scope: 'items', created_at: client.created_at, secret_rotated_at: client.created_at });
      expect(JSON.stringify(response.body)).not.toContain(client.client_secret);
      for (const entry of response.body) expect(Object.keys(entry).sort()).toEqual(['client_id', 'created_at', 'name', 'scope', 'secret_rotated_at']);
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

  describe('the admin CLI', () => {
    let dir: string;

    /** The built CLI in an empty directory (so no .env is read), on the suite's database. */
    function cli(args: string[]) {
      const result = spawnSync(process.execPath, [CLI, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'error' },
        encoding: 'utf8',
        timeout: 90_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

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
      expect(printed).toEqual({ client_id: expect.stringMatching(/^client~[0-9a-f]{24}$/), client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
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
