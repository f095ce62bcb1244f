// RFC 7662 token introspection at POST /introspect: for authenticated clients only, every member
// of a live access or refresh token, and exactly {"active": false} for any token the service would
// refuse now, whatever the reason.
import jwt from 'jsonwebtoken';
import { createTestDatabase, login, startApp, TEST_SECRET_KEY, type TestApp, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

type Http = TestApp['http'];

const ROOT = 'root1';
const ROOT_PASSWORD = 'first superuser passphrase';
const PASSWORD = 'a fine password';
const INACTIVE = { active: false };
const INVALID_CLIENT = { detail: 'Invalid client credentials', error: 'invalid_client' };

interface Client {
  client_id: string;
  client_secret: string;
}

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
}

function basic({ client_id, client_secret }: Client): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret)}`).toString('base64')}`;
}

const nowInSeconds = () => Math.floor(Date.now() / 1000);

describe('token introspection (RFC 7662)', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;
  let admin: string;
  let client: Client;
  let users = 0;

  const as = (token: string) => ({
    post: (url: string, body?: object) => http.post(url).auth(token, { type: 'bearer' }).send(body),
    patch: (url: string, body: object) => http.patch(url).auth(token, { type: 'bearer' }).send(body),
    delete: (url: string) => http.delete(url).auth(token, { type: 'bearer' }),
  });

  async function register(scope = 'me items'): Promise<Client> {
    const response = await as(admin).post('/clients', { name: 'resource-server', scope });
    expect(response.status).toBe(201);
    return response.body;
  }

  /** Introspects `token` as `by` (the suite's client unless said otherwise). */
  const introspect = (token: string, by: Client = client, extra: Record<string, string> = {}) =>
    http.post('/introspect').type('form').set('Authorization', basic(by)).send({ token, ...extra });

  const introspection = async (token: string) => (await introspect(token)).body;

  /** Answers `{"active": false}` for `token`, within the second another instance may take. */
  async function expectInactive(token: string): Promise<void> {
    const answer = await withinASecond(() => introspect(token), (response) => response.body.active === false);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: INACTIVE });
  }

  /** A new user of their own, logged in. */
  async function newUser(): Promise<{ username: string; tokens: Tokens }> {
    const username = `user${++users}`;
    expect((await http.post('/users/signup').send({ username, password: PASSWORD })).status).toBe(201);
    const response = await http.post('/token').type('form').send({ username, password: PASSWORD });
    expect(response.status).toBe(200);
    return { username, tokens: response.body };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD, INTROSPECT_MAX_PER_CLIENT: '100000' });
    http = service.http;
    const adminLogin = await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200);
    admin = adminLogin.body.access_token;
    client = await register();
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('client authentication', () => {
    it('accepts the client by HTTP Basic and by form fields', async () => {
      const token = await login(http, 'johndoe', 'secret');
      expect((await introspect(token)).body.active).toBe(true);
      const byForm = await http.post('/introspect').type('form').send({ token, client_id: client.client_id, client_secret: client.client_secret });
      expect(byForm.status).toBe(200);
      expect(byForm.body.active).toBe(true);
    });

    it.each([
      ['no client credentials', (request: ReturnType<Http['post']>) => request],
      ['a wrong secret', (request: ReturnType<Http['post']>) => request.set('Authorization', basic({ ...client, client_secret: 'wrong' }))],
      ['an unknown client', (request: ReturnType<Http['post']>) => request.set('Authorization', basic({ client_id: 'client~000000000000000000000000', client_secret: 'x' }))],
      ["a user's bearer token", (request: ReturnType<Http['post']>) => request.set('Authorization', `Bearer ${admin}`)],
    ])('answers 401 invalid_client to %s', async (_case, authenticate) => {
      const response = await authenticate(http.post('/introspect').type('form')).send({ token: admin });
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
    });

    it('answers 400 invalid_request to credentials sent both ways at once', async () => {
      const response = await http.post('/introspect').type('form').set('Authorization', basic(client)).send({ token: admin, ...client });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: expect.any(String), error: 'invalid_request' });
    });

    it('answers 400 invalid_request when there is no token', async () => {
      const response = await introspect('');
      expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: { detail: 'The token to introspect is missing', error: 'invalid_request' } });
    });

    it.each([
      ['the token', 'token=a&token=b'],
      ['client_id', 'token=a&client_id=client~000000000000000000000000&client_id=client~000000000000000000000001&client_secret=s'],
    ])('answers 400 invalid_request to %s sent more than once (RFC 6749 §3.2)', async (name, form) => {
      const response = await http.post('/introspect').type('form').set('Authorization', basic(client)).send(form);
      const parameter = name === 'the token' ? 'token' : name;
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: { detail: `The parameter ${parameter} was sent more than once`, error: 'invalid_request' },
      });
    });

    it('ignores parameters it does not know, and reads only a form body', async () => {
      expect((await introspect(admin, client, { colour: 'blue', scope: 'admin' })).body.active).toBe(true);
      const json = await http.post('/introspect').set('Authorization', basic(client)).send({ token: admin });
      expect({ status: json.status, body: json.body }).toEqual({ status: 400, body: { detail: 'The token to introspect is missing', error: 'invalid_request' } });
    });

    it('refuses a secret that authenticated a moment ago once the client has a new one', async () => {
      const rotating = await register();
      expect((await introspect(admin, rotating)).status).toBe(200);
      const renewed = await as(admin).post(`/clients/${rotating.client_id}/secret`);
      expect(renewed.status).toBe(200);
      const old = await introspect(admin, rotating);
      expect({ status: old.status, body: old.body }).toEqual({ status: 401, body: INVALID_CLIENT });
      expect((await introspect(admin, { client_id: rotating.client_id, client_secret: renewed.body.client_secret })).status).toBe(200);
    });

    it("stops accepting a deleted client's credentials", async () => {
      const doomed = await register();
      expect((await introspect(admin, doomed)).status).toBe(200);
      expect((await as(admin).delete(`/clients/${doomed.client_id}`)).status).toBe(204);
      expect((await introspect(admin, doomed)).status).toBe(401);
    });
  });

  describe('a live token', () => {
    it('answers every member of an access token, and no-store', async () => {
      const { username, tokens } = await newUser();
      const claims = jwt.decode(tokens.access_token) as Record<string, unknown>;
      const response = await introspect(tokens.access_token);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        active: true,
        sub: username,
        username,
        scope: 'me items',
        exp: claims.exp,
        iat: claims.iat,
        sid: claims.sid,
        token_type: 'Bearer',
        iss: service.config.jwtIssuer,
        aud: service.config.jwtAudience,
      });
    });

    it('answers the same with a token_type_hint, whichever it names', async () => {
      const { tokens } = await newUser();
      const plain = (await introspect(tokens.access_token)).body;
      expect((await introspect(tokens.access_token, client, { token_type_hint: 'refresh_token' })).body).toEqual(plain);
      expect((await introspect(tokens.refresh_token, client, { token_type_hint: 'access_token' })).body.token_type).toBe('refresh_token');
    });

    it('answers every member of a refresh token: its session, its user, and when it would die', async () => {
      const before = nowInSeconds();
      const { username, tokens } = await newUser();
      const sid = (jwt.decode(tokens.access_token) as { sid: string }).sid;
      const body = await introspection(tokens.refresh_token);
      expect(body).toEqual({
        active: true,
        sub: username,
        username,
        scope: 'me items',
        exp: expect.any(Number),
        iat: expect.any(Number),
        sid,
        token_type: 'refresh_token',
        iss: service.config.jwtIssuer,
        aud: service.config.jwtAudience,
      });
      expect(body.iat).toBeGreaterThanOrEqual(before - 1);
      expect(body.iat).toBeLessThanOrEqual(nowInSeconds());
      // REFRESH_TOKEN_IDLE_MINUTES after its issue, by default 14 days.
      expect(body.exp - body.iat).toBeGreaterThanOrEqual(service.config.refreshTokenIdleMinutes * 60 - 1);
      expect(body.exp - body.iat).toBeLessThanOrEqual(service.config.refreshTokenIdleMinutes * 60 + 1);
    });

    it("answers a client's own token with its client_id, and no username or session", async () => {
      const narrow = await register('items');
      const issued = await http.post('/token').type('form').set('Authorization', basic(narrow)).send({ grant_type: 'client_credentials' });
      const claims = jwt.decode(issued.body.access_token) as Record<string, unknown>;
      expect(await introspection(issued.body.access_token)).toEqual({
        active: true,
        sub: narrow.client_id,
        client_id: narrow.client_id,
        scope: 'items',
        exp: claims.exp,
        iat: claims.iat,
        token_type: 'Bearer',
        iss: service.config.jwtIssuer,
        aud: service.config.jwtAudience,
      });
    });

    it('answers the same for a token asked about again (its verification remembered)', async () => {
      const { tokens } = await newUser();
      const first = await introspection(tokens.access_token);
      expect(await introspection(tokens.access_token)).toEqual(first);
    });
  });

  describe('{"active": false} and nothing else', () => {
    it('for an expired access token', async () => {
      const { tokens } = await newUser();
      const claims = jwt.decode(tokens.access_token) as Record<string, unknown>;
      const resign = (iat: number, exp: number) => jwt.sign({ ...claims, iat, exp }, TEST_SECRET_KEY, { algorithm: 'HS256' });
      // The same claims re-signed with the service's key are live: only the lifetime differs below.
      expect((await introspection(resign(nowInSeconds() - 10, nowInSeconds() + 600))).active).toBe(true);
      expect(await introspection(resign(nowInSeconds() - 7200, nowInSeconds() - 3600))).toEqual(INACTIVE);
    });

    it('for an access token and a refresh token revoked at /revoke', async () => {
      const { tokens } = await newUser();
      expect((await http.post('/revoke').type('form').send({ token: tokens.refresh_token })).status).toBe(200);
      await expectInactive(tokens.access_token);
      await expectInactive(tokens.refresh_token);
    });

    it('for the tokens of a session ended by /logout', async () => {
      const { tokens } = await newUser();
      expect((await as(tokens.access_token).post('/logout')).status).toBe(204);
      await expectInactive(tokens.access_token);
      await expectInactive(tokens.refresh_token);
    });

    it('for a refresh token already used, while its successor is live', async () => {
      const { tokens } = await newUser();
      const refreshed = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      expect(refreshed.status).toBe(200);
      await expectInactive(tokens.refresh_token);
      expect((await introspection(refreshed.body.refresh_token)).active).toBe(true);
    });

    it("for the tokens of a user whose password changed", async () => {
      const { tokens } = await newUser();
      const change = await as(tokens.access_token).patch('/users/me/password', { current_password: PASSWORD, new_password: 'another fine password' });
      expect(change.status).toBe(200);
      await expectInactive(tokens.access_token);
      await expectInactive(tokens.refresh_token);
    });

    it('for the tokens of a disabled user', async () => {
      const { username, tokens } = await newUser();
      expect((await as(admin).patch(`/users/${username}`, { disabled: true })).status).toBe(200);
      await expectInactive(tokens.access_token);
      await expectInactive(tokens.refresh_token);
    });

    it('for the tokens of a deleted user', async () => {
      const { username, tokens } = await newUser();
      expect((await as(admin).delete(`/users/${username}`)).status).toBe(200);
      await expectInactive(tokens.access_token);
      await expectInactive(tokens.refresh_token);
    });

    it("for a deleted client's token", async () => {
      const doomed = await register();
      const issued = await http.post('/token').type('form').set('Authorization', basic(doomed)).send({ grant_type: 'client_credentials' });
      expect((await introspection(issued.body.access_token)).active).toBe(true);
      expect((await as(admin).delete(`/clients/${doomed.client_id}`)).status).toBe(204);
      await expectInactive(issued.body.access_token);
    });

    it('for a token signed with a key the service does not know, with or without a kid', async () => {
      const { tokens } = await newUser();
      const claims = jwt.decode(tokens.access_token) as Record<string, unknown>;
      const otherKey = 'f'.repeat(64);
      expect(await introspection(jwt.sign(claims, otherKey, { algorithm: 'HS256' }))).toEqual(INACTIVE);
      expect(await introspection(jwt.sign(claims, TEST_SECRET_KEY, { algorithm: 'HS256', keyid: 'unknown-kid' }))).toEqual(INACTIVE);
    });

    it('for a token of another algorithm, or none', async () => {
      const { tokens } = await newUser();
      const claims = jwt.decode(tokens.access_token) as Record<string, unknown>;
      expect(await introspection(jwt.sign(claims, TEST_SECRET_KEY, { algorithm: 'HS512' }))).toEqual(INACTIVE);
      expect(await introspection(jwt.sign(claims, null, { algorithm: 'none' }))).toEqual(INACTIVE);
    });

    it.each([
      ['a malformed JWT', 'abc.def.ghi'],
      ['a JWT missing its claims', jwt.sign({ sub: 'johndoe' }, TEST_SECRET_KEY, { algorithm: 'HS256', expiresIn: 600, issuer: 'oauth2-password-service', audience: 'oauth2-password-service' })],
      ['garbage', 'not a token at all'],
      ['an unknown refresh token', 'GvLKLLPuiWLFFLqaer-foEWxRRhA1t7Ag1LROOOw76M'],
      ['something very long', 'x'.repeat(9000)],
    ])('for %s', async (_case, token) => {
      const response = await introspect(token);
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: INACTIVE });
    });
  });
});

describe('the introspection rate limit', () => {
  let database: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, {
      FIRST_SUPERUSER: ROOT,
      FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD,
      INTROSPECT_MAX_PER_CLIENT: '3',
      INTROSPECT_WINDOW_SECONDS: '60',
    });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('answers 429 with Retry-After past INTROSPECT_MAX_PER_CLIENT, for that client only', async () => {
    const http = service.http;
    const admin = (await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' })).body.access_token;
    const [busy, other]: Client[] = await Promise.all(
      ['busy', 'other'].map(async (name) => (await http.post('/clients').auth(admin, { type: 'bearer' }).send({ name, scope: 'me' })).body),
    );
    const introspect = (by: Client) => http.post('/introspect').type('form').set('Authorization', basic(by)).send({ token: admin });
    const answers = await Promise.all(Array.from({ length: 5 }, () => introspect(busy)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body).toEqual({ detail: 'Too many introspection requests, try again later' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await introspect(other)).status).toBe(200);
  });
});
