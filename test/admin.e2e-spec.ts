// Superusers (issue 4): FIRST_SUPERUSER, the /users/ administration routes, who may use them and
// with which token, and what an administrator's changes do to a user's tokens.
import { DataSource } from 'typeorm';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

type Http = TestApp['http'];

const ROOT = 'root1';
const ROOT_PASSWORD = 'keeper of keys 1';
const ADMIN_VIEW_KEYS = ['disabled', 'email', 'full_name', 'is_superuser', 'username'];
const PRIVILEGES = { detail: "The user doesn't have enough privileges" };

/** Logs in asking for `scope`, and returns the whole token answer. */
async function tokenFor(http: Http, username: string, password: string, scope: string): Promise<{ access_token: string; scope: string }> {
  const response = await http.post('/token').type('form').send({ username, password, scope });
  expect(response.status).toBe(200);
  return response.body;
}

function expectInvalidToken(response: { status: number; body: unknown; headers: Record<string, string> }): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: { detail: 'Could not validate credentials' } });
  expect(response.headers['www-authenticate']).toBe('Bearer');
}

describe('administration of users', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;
  /** root1 with `admin me items`. */
  let admin: string;
  /** root1 with the default scopes (no `admin`). */
  let rootWithoutAdmin: string;
  /** johndoe (not a superuser) with the default scopes. */
  let johndoe: string;
  /** johndoe having asked for `admin me items`. */
  let johndoeAskedAdmin: string;

  const as = (token: string) => ({
    get: (url: string) => http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => http.post(url).auth(token, { type: 'bearer' }).send(body),
    patch: (url: string, body: object) => http.patch(url).auth(token, { type: 'bearer' }).send(body),
    delete: (url: string) => http.delete(url).auth(token, { type: 'bearer' }),
  });

  async function createUser(username: string, password: string, extra: object = {}): Promise<void> {
    const response = await as(admin).post('/users/', { username, password, ...extra });
    expect(response.status).toBe(201);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    http = service.http;
    [admin, rootWithoutAdmin, johndoe, johndoeAskedAdmin] = await Promise.all([
      tokenFor(http, ROOT, ROOT_PASSWORD, 'admin me items').then((answer) => answer.access_token),
      login(http, ROOT, ROOT_PASSWORD),
      login(http, 'johndoe', 'secret'),
      tokenFor(http, 'johndoe', 'secret', 'admin me items').then((answer) => answer.access_token),
    ]);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('FIRST_SUPERUSER', () => {
    it('exists at start-up as a superuser who logs in with FIRST_SUPERUSER_PASSWORD', async () => {
      const response = await as(admin).get(`/users/${ROOT}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ username: ROOT, email: null, full_name: null, disabled: false, is_superuser: true });
    });

    it('is granted admin when it asks for it, and the token answer says so', async () => {
      const answer = await tokenFor(http, ROOT, ROOT_PASSWORD, 'admin me items');
      expect(answer.scope.split(' ').sort()).toEqual(['admin', 'items', 'me']);
    });

    it('is granted only "me items" when it asks for no scope', async () => {
      const response = await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD });
      expect(response.status).toBe(200);
      expect(response.body.scope.split(' ').sort()).toEqual(['items', 'me']);
    });
  });

  describe('who may use the /users/ administration routes', () => {
    const routes: [string, string, object | undefined][] = [
      ['post', '/users/', { username: 'made-by-john', password: 'sound passphrase 1' }],
      ['get', '/users/', undefined],
      ['get', '/users/alice', undefined],
      ['patch', '/users/alice', { disabled: true }],
      ['delete', '/users/alice', undefined],
    ];

    it.each(routes)('answers 403 "The user doesn\'t have enough privileges" to a non-superuser: %s %s', async (method, url, body) => {
      const response = await http[method as 'post'](url).auth(johndoe, { type: 'bearer' }).send(body);
      expect(response.status).toBe(403);
      expect(response.body).toEqual(PRIVILEGES);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it.each(routes)('answers the privileges 403 even to a non-superuser who asked for admin: %s %s', async (method, url, body) => {
      const response = await http[method as 'post'](url).auth(johndoeAskedAdmin, { type: 'bearer' }).send(body);
      expect(response.status).toBe(403);
      expect(response.body).toEqual(PRIVILEGES);
    });

    it('does not grant admin to a non-superuser who asks for it', async () => {
      const answer = await tokenFor(http, 'johndoe', 'secret', 'admin me');
      expect(answer.scope).toBe('me');
    });

    it('leaves the target untouched after a non-superuser tried', async () => {
      const response = await as(admin).get('/users/alice');
      expect(response.status).toBe(200);
      expect(response.body.disabled).toBe(false);
      expect((await as(admin).get('/users/made-by-john')).status).toBe(404);
    });

    it.each(routes)(
      'answers 403 "Not enough permissions" with insufficient_scope to a superuser token without admin: %s %s',
      async (method, url, body) => {
        const response = await http[method as 'post'](url).auth(rootWithoutAdmin, { type: 'bearer' }).send(body);
        expect(response.status).toBe(403);
        expect(response.body).toEqual({ detail: 'Not enough permissions' });
        expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="admin"');
      },
    );

    it('lets a superuser token with only the admin scope through', async () => {
      const only = await tokenFor(http, ROOT, ROOT_PASSWORD, 'admin');
      expect(only.scope).toBe('admin');
      const response = await as(only.access_token).get('/users/');
      expect(response.status).toBe(200);
    });

    it('answers 401 without a token', async () => {
      const response = await http.get('/users/');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
    });
  });

  describe('POST /users/', () => {
    it('creates a user and answers 201 with the administrator view, never a hash', async () => {
      const response = await as(admin).post('/users/', {
        username: 'created',
        password: 'made by the root',
        email: 'created@example.com',
        full_name: 'Created User',
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        username: 'created',
        email: 'created@example.com',
        full_name: 'Created User',
        disabled: false,
        is_superuser: false,
      });
      expect(Object.keys(response.body).sort()).toEqual(ADMIN_VIEW_KEYS);
    });

    it('creates a user who can log in', async () => {
      const token = await login(http, 'created', 'made by the root');
      const me = await as(token).get('/users/me/');
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('created');
    });

    it('can create another superuser', async () => {
      const response = await as(admin).post('/users/', { username: 'root2', password: 'second root key', is_superuser: true });
      expect(response.status).toBe(201);
      expect(response.body.is_superuser).toBe(true);
      const answer = await tokenFor(http, 'root2', 'second root key', 'admin');
      expect(answer.scope).toBe('admin');
    });

    it('answers 409 "Username already registered" for a taken name in any case', async () => {
      const response = await as(admin).post('/users/', { username: 'CREATED', password: 'sound passphrase 1' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ detail: 'Username already registered' });
    });

    it('answers 422 for a reserved name', async () => {
      const response = await as(admin).post('/users/', { username: 'me', password: 'sound passphrase 1' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'username'] })]);
    });

    it('answers 422 for a password over 1024 characters, without echoing it', async () => {
      const response = await as(admin).post('/users/', { username: 'long-pass', password: 'q'.repeat(1025) });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_too_long', loc: ['body', 'password'] })]);
      expect(response.body.detail[0]).not.toHaveProperty('input');
    });
  });

  describe('GET /users/', () => {
    const names = ['list-c', 'List-A', 'list-e', 'list-b', 'LIST-D'];

    beforeAll(async () => {
      for (const name of names) await createUser(name, 'sound passphrase 1');
    });

    it('answers {"data": [...], "count": N} with every user', async () => {
      const response = await as(admin).get('/users/');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['count', 'data']);
      expect(response.body.count).toBe(response.body.data.length);
      const usernames = response.body.data.map((user: { username: string }) => user.username);
      expect(usernames).toEqual(expect.arrayContaining([ROOT, 'johndoe', 'alice', ...names]));
      for (const user of response.body.data) expect(Object.keys(user).sort()).toEqual(ADMIN_VIEW_KEYS);
    });

    it('counts every user whatever skip and limit', async () => {
      const all = await as(admin).get('/users/');
      const page = await as(admin).get('/users/?skip=1&limit=2');
      expect(page.status).toBe(200);
      expect(page.body.data).toHaveLength(2);
      expect(page.body.count).toBe(all.body.count);
    });

    it('answers pages in a stable order that, put together, are the whole list', async () => {
      const all = await as(admin).get('/users/?limit=100');
      const again = await as(admin).get('/users/?limit=100');
      expect(again.body).toEqual(all.body);
      const paged: unknown[] = [];
      for (let skip = 0; skip < all.body.count; skip += 3) {
        const page = await as(admin).get(`/users/?skip=${skip}&limit=3`);
        expect(page.status).toBe(200);
        paged.push(...page.body.data);
      }
      expect(paged).toEqual(all.body.data);
    });

    it('answers an empty page past the end, still with the count', async () => {
      const all = await as(admin).get('/users/');
      const response = await as(admin).get(`/users/?skip=${all.body.count + 10}&limit=10`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: [], count: all.body.count });
    });

    it('accepts limit=100', async () => {
      expect((await as(admin).get('/users/?limit=100')).status).toBe(200);
    });

    it('answers 422 for limit over 100', async () => {
      const response = await as(admin).get('/users/?limit=101');
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'less_than_equal', loc: ['query', 'limit'] })]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['skip=-1', 'skip'],
      ['limit=abc', 'limit'],
      ['skip=1.5', 'skip'],
      ['skip=1e19', 'skip'],
      ['skip=1e308', 'skip'],
      ['skip=9007199254740992', 'skip'],
    ])('answers 422 for %s', async (query, field) => {
      const response = await as(admin).get(`/users/?${query}`);
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['query', field] })]);
    });

    it('accepts the largest skip, an empty page', async () => {
      const response = await as(admin).get('/users/?skip=9007199254740991');
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([]);
    });
  });

  describe('GET /users/{username}', () => {
    it('answers the administrator view of a user', async () => {
      const response = await as(admin).get('/users/johndoe');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        username: 'johndoe',
        email: 'johndoe@example.com',
        full_name: 'John Doe',
        disabled: false,
        is_superuser: false,
      });
    });

    it('finds the user whatever the case of the name', async () => {
      const response = await as(admin).get('/users/JOHNDOE');
      expect(response.status).toBe(200);
      expect(response.body.username).toBe('johndoe');
    });

    it('answers 404 {"detail": …} for an unknown user', async () => {
      const response = await as(admin).get('/users/nobody-at-all');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });

    it('answers 404 for a name with a NUL byte, on every route that takes one', async () => {
      for (const response of [
        await as(admin).get('/users/john%00doe'),
        await as(admin).patch('/users/john%00doe', { disabled: true }),
        await as(admin).delete('/users/john%00doe'),
      ]) {
        expect([response.status, response.body]).toEqual([404, { detail: 'User not found' }]);
      }
    });
  });

  describe('PATCH /users/{username}', () => {
    it('answers 404 {"detail": …} for an unknown user', async () => {
      const response = await as(admin).patch('/users/nobody-at-all', { disabled: true });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });

    it('answers 422 for a new password under 8 characters, without echoing it', async () => {
      const response = await as(admin).patch('/users/alice', { password: 'Sh0rt!' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_too_short', loc: ['body', 'password'] })]);
      expect(response.text).not.toContain('Sh0rt!');
    });

    it('answers 422 for a disabled flag that is not a boolean', async () => {
      const response = await as(admin).patch('/users/alice', { disabled: 'yes please' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'disabled'] })]);
    });

    describe('a password reset', () => {
      let before: string;

      beforeAll(async () => {
        await createUser('reset-me', 'before-pass');
        before = await login(http, 'reset-me', 'before-pass');
      });

      it('answers 200 with the user', async () => {
        const response = await as(admin).patch('/users/reset-me', { password: 'after-pass' });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ username: 'reset-me', email: null, full_name: null, disabled: false, is_superuser: false });
      });

      it("ends the user's earlier tokens: 401 \"Could not validate credentials\"", async () => {
        expectInvalidToken(await as(before).get('/users/me/'));
      });

      it('lets the user log in with the new password only', async () => {
        await login(http, 'reset-me', 'after-pass');
        const old = await http.post('/token').type('form').send({ username: 'reset-me', password: 'before-pass' });
        expect(old.status).toBe(401);
      });
    });

    describe('the superuser flag', () => {
      let plain: string;
      let promoted: string;

      beforeAll(async () => {
        await createUser('promote-me', 'promote-pass');
        plain = (await tokenFor(http, 'promote-me', 'promote-pass', 'admin me items')).access_token;
      });

      it('promotes a user: 200 with is_superuser true', async () => {
        const response = await as(admin).patch('/users/promote-me', { is_superuser: true });
        expect(response.status).toBe(200);
        expect(response.body.is_superuser).toBe(true);
      });

      it("ends the user's tokens issued before the promotion", async () => {
        expectInvalidToken(await as(plain).get('/users/me/'));
      });

      it('lets the promoted user ask for admin and use the administration routes', async () => {
        const answer = await tokenFor(http, 'promote-me', 'promote-pass', 'admin me items');
        expect(answer.scope.split(' ')).toContain('admin');
        promoted = answer.access_token;
        expect((await as(promoted).get('/users/')).status).toBe(200);
      });

      it('demotes a user and ends the tokens that carried admin', async () => {
        const response = await as(admin).patch('/users/promote-me', { is_superuser: false });
        expect(response.status).toBe(200);
        expect(response.body.is_superuser).toBe(false);
        expectInvalidToken(await as(promoted).get('/users/'));
        expectInvalidToken(await as(promoted).get('/users/me/'));
      });

      it('leaves a demoted user with the privileges 403 on a new token', async () => {
        const token = (await tokenFor(http, 'promote-me', 'promote-pass', 'admin me items')).access_token;
        const response = await as(token).get('/users/');
        expect(response.status).toBe(403);
        expect(response.body).toEqual(PRIVILEGES);
      });
    });

    describe('disabling', () => {
      let token: string;
      let refreshToken: string;

      beforeAll(async () => {
        await createUser('pause-me', 'pause-pass');
        const answer = await http.post('/token').type('form').send({ username: 'pause-me', password: 'pause-pass' }).expect(200);
        token = answer.body.access_token;
        refreshToken = answer.body.refresh_token;
      });

      it('answers 200 with disabled true', async () => {
        const response = await as(admin).patch('/users/pause-me', { disabled: true });
        expect(response.status).toBe(200);
        expect(response.body.disabled).toBe(true);
      });

      it('makes the user\'s token answer 400 "Inactive user"', async () => {
        for (const url of ['/users/me/', '/users/me/items/', '/items/']) {
          const response = await as(token).get(url);
          expect({ url, status: response.status, body: response.body }).toEqual({ url, status: 400, body: { detail: 'Inactive user' } });
        }
      });

      it('makes the user\'s refresh token answer 400 "Inactive user"', async () => {
        const response = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
        expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: { detail: 'Inactive user' } });
      });

      it('answers 400 "Inactive user" at /token to the right password', async () => {
        const response = await http.post('/token').type('form').send({ username: 'pause-me', password: 'pause-pass' });
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ detail: 'Inactive user' });
      });

      // Disabling ends every session: enabling the user again brings none of them back.
      it('leaves the earlier tokens ended when the user is enabled again, and a new login works', async () => {
        const response = await as(admin).patch('/users/pause-me', { disabled: false });
        expect(response.status).toBe(200);
        expect(response.body.disabled).toBe(false);
        expectInvalidToken(await as(token).get('/users/me/'));
        const refreshed = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
        expect({ status: refreshed.status, body: refreshed.body }).toEqual({
          status: 400,
          body: { detail: 'Invalid refresh token', error: 'invalid_grant' },
        });
        const fresh = await login(http, 'pause-me', 'pause-pass');
        await as(fresh).get('/users/me/').expect(200);
      });

      it('lists only the new login among the sessions once the user is enabled again', async () => {
        const fresh = await http.post('/token').type('form').send({ username: 'pause-me', password: 'pause-pass' }).expect(200);
        const listed = await as(fresh.body.access_token).get('/users/me/sessions');
        expect(listed.status).toBe(200);
        const sid = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid as string;
        const ids = listed.body.map((session: { id: string }) => session.id);
        expect(ids).toContain(sid(fresh.body.access_token));
        expect(ids).not.toContain(sid(token));
      });
    });
  });

  describe('DELETE /users/{username}', () => {
    let token: string;

    beforeAll(async () => {
      await createUser('remove-me', 'remove-pass');
      token = await login(http, 'remove-me', 'remove-pass');
      await as(token).post('/items/', { item_id: 'Doomed', title: 'Doomed' }).expect(201);
    });

    it('answers 404 {"detail": …} for an unknown user', async () => {
      const response = await as(admin).delete('/users/nobody-at-all');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });

    it('deletes the user: 200, then 404 on read, and no login', async () => {
      const response = await as(admin).delete('/users/remove-me');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ message: expect.any(String) });
      expect((await as(admin).get('/users/remove-me')).status).toBe(404);
      const login = await http.post('/token').type('form').send({ username: 'remove-me', password: 'remove-pass' });
      expect(login.status).toBe(401);
    });

    it("deletes the user's items", async () => {
      const all = await as(admin).get('/items/?limit=100');
      expect(all.status).toBe(200);
      expect(all.body.data.filter((item: { owner: string }) => item.owner === 'remove-me')).toEqual([]);
    });

    it("answers 401 to the deleted user's token, even after the name is taken again", async () => {
      expectInvalidToken(await as(token).get('/users/me/'));
      await createUser('remove-me', 'remove-pass');
      expectInvalidToken(await as(token).get('/users/me/'));
    });
  });
});

describe('FIRST_SUPERUSER across restarts', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('is left alone, not duplicated or reset, when the service starts again with it set', async () => {
    // One instance at a time: Passport strategies are process-wide, so two live apps in one
    // process would share the last one's.
    const first = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    await first.close();
    const again = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: 'another-password' });
    try {
      const answer = await tokenFor(again.http, ROOT, ROOT_PASSWORD, 'admin');
      expect(answer.scope).toBe('admin');
      const users = await again.http.get('/users/?limit=100').auth(answer.access_token, { type: 'bearer' }).expect(200);
      expect(users.body.data.filter((user: { username: string }) => user.username.toLowerCase() === ROOT)).toHaveLength(1);
      const refused = await again.http.post('/token').type('form').send({ username: ROOT, password: 'another-password' });
      expect(refused.status).toBe(401);
    } finally {
      await again.close();
    }
  });
});

describe('the last active superuser', () => {
  const LAST_SUPERUSER = { detail: 'The last active superuser cannot be removed, demoted or disabled' };
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;

  const as = (token: string) => ({
    get: (url: string) => http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => http.post(url).auth(token, { type: 'bearer' }).send(body),
    patch: (url: string, body: object) => http.patch(url).auth(token, { type: 'bearer' }).send(body),
    delete: (url: string, body?: object) => http.delete(url).auth(token, { type: 'bearer' }).send(body ?? {}),
  });
  const adminToken = async (username: string, password: string) => (await tokenFor(http, username, password, 'admin me items')).access_token;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD, DEMO_DATA: 'false' });
    http = service.http;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('answers 409 to demoting, disabling or deleting the only superuser, and changes nothing', async () => {
    const root = await adminToken(ROOT, ROOT_PASSWORD);
    for (const change of [{ is_superuser: false }, { disabled: true }, { is_superuser: false, disabled: true }]) {
      const response = await as(root).patch(`/users/${ROOT}`, change);
      expect({ change, status: response.status, body: response.body }).toEqual({ change, status: 409, body: LAST_SUPERUSER });
    }
    const deleted = await as(root).delete('/users/me/', { current_password: ROOT_PASSWORD });
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 409, body: LAST_SUPERUSER });
    const me = await as(root).get(`/users/${ROOT}`);
    expect(me.body).toEqual(expect.objectContaining({ username: ROOT, is_superuser: true, disabled: false }));
  });

  it('lets a superuser step down while another active one remains, and not a disabled one', async () => {
    const root = await adminToken(ROOT, ROOT_PASSWORD);
    await as(root).post('/users/', { username: 'sleeper', password: 'quiet night 9', is_superuser: true, disabled: true }).expect(201);
    expect((await as(root).patch(`/users/${ROOT}`, { is_superuser: false })).status).toBe(409);
    await as(root).post('/users/', { username: 'deputy', password: 'second in command', is_superuser: true }).expect(201);
    await as(root).patch(`/users/${ROOT}`, { is_superuser: false }).expect(200);
    const deputy = await adminToken('deputy', 'second in command');
    const response = await as(deputy).delete('/users/me/', { current_password: 'second in command' });
    expect({ status: response.status, body: response.body }).toEqual({ status: 409, body: LAST_SUPERUSER });
    await as(deputy).patch(`/users/${ROOT}`, { is_superuser: true }).expect(200);
  });

  it('of two superusers disabling each other at once, lets exactly one win', async () => {
    await as(await adminToken(ROOT, ROOT_PASSWORD)).delete('/users/sleeper').expect(200);
    const [root, deputy] = await Promise.all([adminToken(ROOT, ROOT_PASSWORD), adminToken('deputy', 'second in command')]);
    const answers = await Promise.all([as(root).patch('/users/deputy', { disabled: true }), as(deputy).patch(`/users/${ROOT}`, { disabled: true })]);
    // The loser is refused: 409 when it got past its own check first, else 400 (its caller was disabled).
    const [won, lost] = answers.map((answer) => answer.status).sort();
    expect(won).toBe(200);
    expect([400, 409]).toContain(lost);
    const rows: { disabled: boolean | number }[] = await service.app
      .get(DataSource)
      .query('SELECT disabled FROM users WHERE is_superuser = TRUE');
    expect(rows.filter((row) => !row.disabled)).toHaveLength(1);
  });
});
