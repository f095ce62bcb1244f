// Sessions, refresh-token rotation and revocation (RFC 6749 §6, RFC 7009, RFC 9700 §4.14).
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
}

describe('sessions and refresh tokens', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let dataSource: DataSource;

  const passwordLogin = async (username = 'alice', password = 'secret', extra: Record<string, string> = {}): Promise<Tokens> => {
    const response = await http.post('/token').type('form').send({ username, password, ...extra });
    expect(response.status).toBe(200);
    return response.body;
  };
  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
  const me = (accessToken: string) => http.get('/users/me').auth(accessToken, { type: 'bearer' });
  const sidOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;
  const INVALID_GRANT = { detail: 'Invalid refresh token', error: 'invalid_grant' };

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
    http = service.http;
    dataSource = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('login', () => {
    it('answers a refresh token of at least 256 random bits beside the access token', async () => {
      const tokens = await passwordLogin();
      expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(tokens).toMatchObject({ expires_in: 1800, scope: 'me items' });
    });

    it('stores only a hash of the refresh token', async () => {
      const tokens = await passwordLogin();
      const rows = await dataSource.query('SELECT token_hash FROM refresh_tokens');
      expect(rows.map((row: { token_hash: string }) => row.token_hash)).not.toContain(tokens.refresh_token);
      expect(JSON.stringify(rows)).not.toContain(tokens.refresh_token);
    });
  });

  describe('refresh (grant_type=refresh_token)', () => {
    it('answers new access and refresh tokens in the same session', async () => {
      const first = await passwordLogin();
      const response = await refresh(first.refresh_token);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const second: Tokens = response.body;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(sidOf(second.access_token)).toBe(sidOf(first.access_token));
      expect((await me(second.access_token)).status).toBe(200);
    });

    it('answers 422 when the refresh token is missing', async () => {
      const response = await http.post('/token').type('form').send({ grant_type: 'refresh_token' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([{ type: 'missing', loc: ['body', 'refresh_token'], msg: 'Field required' }]);
    });

    it('answers 400 invalid_grant for an unknown refresh token', async () => {
      const response = await refresh('not-a-refresh-token');
      expect([response.status, response.body]).toEqual([400, INVALID_GRANT]);
    });

    it('ends the whole session when a retired refresh token is presented again', async () => {
      const first = await passwordLogin();
      const second: Tokens = (await refresh(first.refresh_token)).body;
      const reuse = await refresh(first.refresh_token);
      expect([reuse.status, reuse.body]).toEqual([400, INVALID_GRANT]);
      expect((await refresh(second.refresh_token)).body).toEqual(INVALID_GRANT);
      expect((await me(second.access_token)).status).toBe(401);
      expect((await me(first.access_token)).status).toBe(401);
    });

    it('lets exactly one of ten concurrent refreshes of one token win, and counts the rest as reuse', async () => {
      const tokens = await passwordLogin();
      const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(tokens.refresh_token)));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 400)).toHaveLength(9);
      const winner: Tokens = answers.find((answer) => answer.status === 200)!.body;
      expect((await me(winner.access_token)).status).toBe(401);
    });

    it('narrows the scope on request but never widens it', async () => {
      const tokens = await passwordLogin('alice', 'secret', { scope: 'me items' });
      const narrowed = await refresh(tokens.refresh_token, { scope: 'me' });
      expect([narrowed.status, narrowed.body.scope]).toEqual([200, 'me']);
      const widened = await refresh(narrowed.body.refresh_token, { scope: 'me items admin' });
      expect([widened.status, widened.body.error]).toEqual([400, 'invalid_scope']);
    });

    it('keeps the session scope when none is asked for', async () => {
      const tokens = await passwordLogin('alice', 'secret', { scope: 'items' });
      const refreshed = await refresh(tokens.refresh_token);
      expect(refreshed.body.scope).toBe('items');
    });

    it('refuses a refresh token left unused past its idle lifetime', async () => {
      const tokens = await passwordLogin();
      await dataSource.query('UPDATE refresh_tokens SET expires_at = 1 WHERE used_at IS NULL');
      expect((await refresh(tokens.refresh_token)).body).toEqual(INVALID_GRANT);
    });

    it('refuses every token of a session past its absolute lifetime', async () => {
      const tokens = await passwordLogin();
      await dataSource.query(`UPDATE sessions SET expires_at = 1 WHERE id = '${sidOf(tokens.access_token)}'`);
      expect((await refresh(tokens.refresh_token)).body).toEqual(INVALID_GRANT);
      expect((await me(tokens.access_token)).status).toBe(401);
    });

    it('refuses a refresh after a password change', async () => {
      await http.post('/users/signup').send({ username: 'refresher', password: 'first password' }).expect(201);
      const tokens = await passwordLogin('refresher', 'first password');
      await http
        .patch('/users/me/password')
        .auth(tokens.access_token, { type: 'bearer' })
        .send({ current_password: 'first password', new_password: 'second password' })
        .expect(200);
      expect((await refresh(tokens.refresh_token)).body).toEqual(INVALID_GRANT);
    });

    it('no longer lists the sessions opened before a password change', async () => {
      await http.post('/users/signup').send({ username: 'changer', password: 'first password' }).expect(201);
      const before = await passwordLogin('changer', 'first password');
      await http
        .patch('/users/me/password')
        .auth(before.access_token, { type: 'bearer' })
        .send({ current_password: 'first password', new_password: 'second password' })
        .expect(200);
      const after = await passwordLogin('changer', 'second password');
      const listed = await http.get('/users/me/sessions').auth(after.access_token, { type: 'bearer' });
      expect(listed.status).toBe(200);
      expect(listed.body.map((session: { id: string }) => session.id)).toEqual([sidOf(after.access_token)]);
      const ended = await http.delete(`/users/me/sessions/${sidOf(before.access_token)}`).auth(after.access_token, { type: 'bearer' });
      expect([ended.status, ended.body]).toEqual([404, { detail: 'Session not found' }]);
    });

    it('answers 400 "Inactive user" to a disabled user', async () => {
      await http.post('/users/signup').send({ username: 'soon-disabled', password: 'some password' }).expect(201);
      const tokens = await passwordLogin('soon-disabled', 'some password');
      await dataSource.query("UPDATE users SET disabled = true WHERE username = 'soon-disabled'");
      const response = await refresh(tokens.refresh_token);
      expect([response.status, response.body]).toEqual([400, { detail: 'Inactive user' }]);
    });
  });

  describe('logout and sessions', () => {
    it('ends the session at POST /logout: its access and refresh tokens stop working', async () => {
      const tokens = await passwordLogin();
      const response = await http.post('/logout').auth(tokens.access_token, { type: 'bearer' });
      expect(response.status).toBe(204);
      expect((await me(tokens.access_token)).status).toBe(401);
      expect((await refresh(tokens.refresh_token)).body).toEqual(INVALID_GRANT);
    });

    it("lists the caller's live sessions with the client that opened them", async () => {
      await http.post('/users/signup').send({ username: 'lister', password: 'list password' }).expect(201);
      const phone = (await http.post('/token').type('form').set('User-Agent', 'phone/1.0').send({ username: 'lister', password: 'list password' })).body;
      const laptop = await passwordLogin('lister', 'list password');
      const response = await http.get('/users/me/sessions').auth(laptop.access_token, { type: 'bearer' });
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(2);
      const current = response.body.find((session: { current: boolean }) => session.current);
      expect(current.id).toBe(sidOf(laptop.access_token));
      const other = response.body.find((session: { current: boolean }) => !session.current);
      expect(other).toMatchObject({ id: sidOf(phone.access_token), user_agent: 'phone/1.0', client_address: expect.any(String) });
    });

    it('ends one session with DELETE /users/me/sessions/{sid}, leaving the others', async () => {
      const one = await passwordLogin();
      const two = await passwordLogin();
      const response = await http.delete(`/users/me/sessions/${sidOf(two.access_token)}`).auth(one.access_token, { type: 'bearer' });
      expect(response.status).toBe(204);
      expect((await me(two.access_token)).status).toBe(401);
      expect((await me(one.access_token)).status).toBe(200);
    });

    it("answers 404 for a session that is not the caller's", async () => {
      const alice = await passwordLogin();
      const johndoe = await passwordLogin('johndoe', 'secret');
      const response = await http.delete(`/users/me/sessions/${sidOf(johndoe.access_token)}`).auth(alice.access_token, { type: 'bearer' });
      expect([response.status, response.body]).toEqual([404, { detail: 'Session not found' }]);
      expect((await me(johndoe.access_token)).status).toBe(200);
    });

    it.each([['a NUL byte', 'a%00b'], ['no UUID', 'not-a-session'], ['an upper-case UUID of nothing', 'ABCDEF01-2345-6789-ABCD-EF0123456789']])(
      'answers 404 for a session id with %s',
      async (_what, sid) => {
        const alice = await passwordLogin();
        const response = await http.delete(`/users/me/sessions/${sid}`).auth(alice.access_token, { type: 'bearer' });
        expect([response.status, response.body]).toEqual([404, { detail: 'Session not found' }]);
        expect((await me(alice.access_token)).status).toBe(200);
      },
    );

    it('logs out everywhere with DELETE /users/me/sessions', async () => {
      await http.post('/users/signup').send({ username: 'everywhere', password: 'every password' }).expect(201);
      const one = await passwordLogin('everywhere', 'every password');
      const two = await passwordLogin('everywhere', 'every password');
      expect((await http.delete('/users/me/sessions').auth(one.access_token, { type: 'bearer' })).status).toBe(204);
      expect((await me(one.access_token)).status).toBe(401);
      expect((await me(two.access_token)).status).toBe(401);
      expect((await refresh(two.refresh_token)).body).toEqual(INVALID_GRANT);
    });
  });

  describe('POST /revoke (RFC 7009)', () => {
    it('revokes a refresh token and its session', async () => {
      const tokens = await passwordLogin();
      const response = await http.post('/revoke').type('form').send({ token: tokens.refresh_token, token_type_hint: 'refresh_token' });
      expect(response.status).toBe(200);
      expect((await me(tokens.access_token)).status).toBe(401);
    });

    it('revokes an access token and its session', async () => {
      const tokens = await passwordLogin();
      expect((await http.post('/revoke').type('form').send({ token: tokens.access_token })).status).toBe(200);
      expect((await me(tokens.access_token)).status).toBe(401);
      expect((await refresh(tokens.refresh_token)).body).toEqual(INVALID_GRANT);
    });

    it('answers 200 for an unknown or invalid token', async () => {
      expect((await http.post('/revoke').type('form').send({ token: 'whatever' })).status).toBe(200);
    });

    it('answers 400 invalid_request without a token', async () => {
      const response = await http.post('/revoke').type('form').send({});
      expect([response.status, response.body.error]).toEqual([400, 'invalid_request']);
    });

    it('answers 400 invalid_request, not 422, to a request with no body at all', async () => {
      // An absent form is an empty form (RFC 7009 §2.1 makes `token` the only required field).
      const response = await http.post('/revoke');
      expect([response.status, response.body]).toEqual([400, { detail: 'The token to revoke is missing', error: 'invalid_request' }]);
    });
  });
});
