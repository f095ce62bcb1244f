// The authorization_code grant at POST /token (RFC 6749 §4.1.3 with PKCE, RFC 7636): codes are
// single-use, short-lived, bound to their client, redirect URI and challenge; a second use ends the
// session of the first; the session is the user's like any login's, and its refresh tokens are
// bound to the client. Codes are issued here through AuthorizationCodes, as the authorization
// endpoint issues them once the user has signed in.
import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { AuthorizationCodes, type CodeRequest } from '../src/auth/authorization/authorization-codes.js';
import { UsersService } from '../src/users/users.service.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

const ROOT = 'root1';
const ROOT_PASSWORD = 'first superuser passphrase';
const REDIRECT_URI = 'https://app.example/callback';
const INVALID_CLIENT = { detail: 'Invalid client credentials', error: 'invalid_client' };
const INVALID_CODE = { detail: 'Invalid authorization code', error: 'invalid_grant' };
const INVALID_REFRESH_TOKEN = { detail: 'Invalid refresh token', error: 'invalid_grant' };

interface Client {
  client_id: string;
  client_secret?: string;
}

const newVerifier = () => randomBytes(32).toString('base64url');
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const basic = ({ client_id, client_secret }: Client) => `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`;
const sidOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;

describe('the authorization_code grant (RFC 6749 §4.1.3, PKCE)', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let admin: string;
  let spa: Client;
  let backend: Client;
  let johndoeId: string;

  async function register(body: Record<string, unknown>): Promise<Client> {
    const response = await http.post('/clients').auth(admin, { type: 'bearer' }).send({ name: 'app', scope: 'me items', redirect_uris: [REDIRECT_URI], ...body });
    expect(response.status).toBe(201);
    return response.body;
  }

  /** A code for johndoe, as /authorize issues it, and the verifier of its challenge. */
  async function codeFor(client: Client, overrides: Partial<CodeRequest> = {}): Promise<{ code: string; verifier: string }> {
    const verifier = newVerifier();
    const code = await service.app.get(AuthorizationCodes).issue({
      clientId: client.client_id,
      userId: johndoeId,
      redirectUri: REDIRECT_URI,
      codeChallenge: challengeOf(verifier),
      scopes: ['me', 'items'],
      ...overrides,
    });
    return { code, verifier };
  }

  const exchange = (fields: Record<string, string>, authorization?: string) => {
    const request = http.post('/token').type('form');
    if (authorization) void request.set('Authorization', authorization);
    return request.send({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...fields });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    http = service.http;
    admin = (await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200)).body.access_token;
    spa = await register({ name: 'spa', public: true, first_party: true });
    backend = await register({ name: 'web-backend' });
    johndoeId = (await service.app.get(UsersService).findByUsername('johndoe'))!.id;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it("gives a public client that names itself a login's token pair, in a session the user sees", async () => {
    const { code, verifier } = await codeFor(spa);
    const response = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { access_token: expect.any(String), token_type: 'bearer', expires_in: expect.any(Number), refresh_token: expect.any(String), scope: 'me items' },
    });
    expect(response.headers['cache-control']).toBe('no-store');
    const me = await http.get('/users/me/').auth(response.body.access_token, { type: 'bearer' });
    expect(me.body.username).toBe('johndoe');
    const sessions = await http.get('/users/me/sessions').auth(response.body.access_token, { type: 'bearer' });
    expect(sessions.body.map((session: { id: string }) => session.id)).toContain(sidOf(response.body.access_token));
  });

  it('needs a confidential client to authenticate, not only to name itself', async () => {
    const { code, verifier } = await codeFor(backend);
    const named = await exchange({ code, code_verifier: verifier, client_id: backend.client_id });
    expect({ status: named.status, body: named.body }).toEqual({ status: 401, body: INVALID_CLIENT });
    const again = await codeFor(backend);
    const authenticated = await exchange({ code: again.code, code_verifier: again.verifier }, basic(backend));
    expect(authenticated.status).toBe(200);
  });

  it('answers 401 invalid_client without a client, or with an unknown one', async () => {
    const { code, verifier } = await codeFor(spa);
    for (const client of [{}, { client_id: 'client~000000000000000000000000' }, { client_id: 'johndoe' }] as Record<string, string>[]) {
      const response = await exchange({ code, code_verifier: verifier, ...client });
      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_CLIENT });
    }
  });

  it("refuses a code issued to another client, and spends nothing of it", async () => {
    const { code, verifier } = await codeFor(backend);
    const response = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: INVALID_CODE });
    expect((await exchange({ code, code_verifier: verifier }, basic(backend))).status).toBe(200);
  });

  it('refuses a wrong verifier (PKCE), and the code is then spent', async () => {
    const { code, verifier } = await codeFor(spa);
    const wrong = await exchange({ code, code_verifier: newVerifier(), client_id: spa.client_id });
    expect({ status: wrong.status, body: wrong.body }).toEqual({
      status: 400,
      body: { detail: 'The code_verifier does not match the code_challenge', error: 'invalid_grant' },
    });
    const right = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect({ status: right.status, body: right.body }).toEqual({ status: 400, body: INVALID_CODE });
  });

  it('refuses the challenge itself as the verifier (the plain method)', async () => {
    const { code, verifier } = await codeFor(spa);
    const response = await exchange({ code, code_verifier: challengeOf(verifier), client_id: spa.client_id });
    expect(response.body.error).toBe('invalid_grant');
  });

  it('refuses another redirect URI than the authorization request had', async () => {
    for (const redirect_uri of ['https://app.example/callback/', 'https://APP.example/callback', 'https://evil.example/callback']) {
      const { code, verifier } = await codeFor(spa);
      const response = await exchange({ code, code_verifier: verifier, client_id: spa.client_id, redirect_uri });
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: { detail: 'The redirect_uri is not the one of the authorization request', error: 'invalid_grant' },
      });
    }
  });

  it('refuses an expired code', async () => {
    const { code, verifier } = await codeFor(spa);
    await service.app.get(DataSource).query(`UPDATE authorization_codes SET expires_at = ${Date.now() - 1}`);
    const response = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: INVALID_CODE });
  });

  it('refuses an unknown code with invalid_grant, and missing fields with invalid_request', async () => {
    const { code, verifier } = await codeFor(spa);
    const unknown = await exchange({ code: 'not-a-code', code_verifier: verifier, client_id: spa.client_id });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 400, body: INVALID_CODE });
    const cases: [Record<string, string>, string][] = [
      [{ code_verifier: verifier }, 'The code is missing'],
      [{ code, redirect_uri: '' }, 'The redirect_uri is missing'],
      [{ code }, 'The code_verifier is missing (PKCE is required)'],
    ];
    for (const [fields, detail] of cases) {
      const response = await exchange({ ...fields, client_id: spa.client_id });
      expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: { detail, error: 'invalid_request' } });
    }
  });

  it('refuses a second use of a code and ends the session its first use opened (RFC 6749 §4.1.2)', async () => {
    const { code, verifier } = await codeFor(spa);
    const first = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect(first.status).toBe(200);
    const second = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect({ status: second.status, body: second.body }).toEqual({ status: 400, body: INVALID_CODE });
    const me = await withinASecond(
      () => http.get('/users/me/').auth(first.body.access_token, { type: 'bearer' }),
      (response) => response.status === 401,
    );
    expect(me.status).toBe(401);
    const refresh = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: spa.client_id });
    expect({ status: refresh.status, body: refresh.body }).toEqual({ status: 400, body: INVALID_REFRESH_TOKEN });
  });

  it("binds the session's refresh tokens to the client (RFC 6749 §6): another caller is refused without spending the token", async () => {
    const { code, verifier } = await codeFor(spa);
    const tokens = (await exchange({ code, code_verifier: verifier, client_id: spa.client_id })).body;
    const refresh = (fields: Record<string, string>, authorization?: string) => {
      const request = http.post('/token').type('form');
      if (authorization) void request.set('Authorization', authorization);
      return request.send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...fields });
    };
    for (const [fields, authorization] of [[{}, undefined], [{ client_id: backend.client_id }, undefined], [{}, basic(backend)]] as const) {
      const refused = await refresh(fields, authorization);
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 400, body: INVALID_REFRESH_TOKEN });
    }
    const refreshed = await refresh({ client_id: spa.client_id });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
  });

  it("binds a confidential client's session to that client authenticating", async () => {
    const { code, verifier } = await codeFor(backend);
    const tokens = (await exchange({ code, code_verifier: verifier }, basic(backend))).body;
    const named = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: backend.client_id });
    expect({ status: named.status, body: named.body }).toEqual({ status: 400, body: INVALID_REFRESH_TOKEN });
    const wrongSecret = await http
      .post('/token')
      .type('form')
      .set('Authorization', basic({ client_id: backend.client_id, client_secret: 'wrong' }))
      .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect({ status: wrongSecret.status, body: wrongSecret.body }).toEqual({ status: 401, body: INVALID_CLIENT });
    const authenticated = await http.post('/token').type('form').set('Authorization', basic(backend)).send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(authenticated.status).toBe(200);
  });

  it("refuses the code of a user disabled since it was issued", async () => {
    const username = 'codeuser1';
    await http.post('/users/signup').send({ username, password: 'a fine password' }).expect(201);
    const user = (await service.app.get(UsersService).findByUsername(username))!;
    const { code, verifier } = await codeFor(spa, { userId: user.id });
    await http.patch(`/users/${username}`).auth(admin, { type: 'bearer' }).send({ disabled: true }).expect(200);
    const response = await exchange({ code, code_verifier: verifier, client_id: spa.client_id });
    expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: INVALID_CODE });
  });

  it("leaves the password grant and the tutorial's refresh as they were", async () => {
    const login = await http.post('/token').type('form').send({ username: 'johndoe', password: 'secret', client_id: '', client_secret: '' });
    expect(login.status).toBe(200);
    const refreshed = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const unknownGrant = await http.post('/token').type('form').send({ grant_type: 'implicit' });
    expect(unknownGrant.status).toBe(422);
  });
});
