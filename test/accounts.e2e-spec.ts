// Accounts (issue 4): sign-up, profile, password change and deletion of one's own account, on a
// real database, as a client sees them.
import { jest } from '@jest/globals';
import { PasswordHasher } from '../src/password/password-hasher.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const PUBLIC_USER_KEYS = ['disabled', 'email', 'full_name', 'username'];

type Http = TestApp['http'];

function signUp(http: Http, body: Record<string, unknown>) {
  return http.post('/users/signup').send(body);
}

/** A superuser of every app this suite starts, to look at accounts and items as the API shows them. */
const ROOT = { FIRST_SUPERUSER: 'root1', FIRST_SUPERUSER_PASSWORD: 'keeper of keys 1' };

async function rootToken(service: TestApp): Promise<string> {
  const response = await service.http.post('/token').type('form').send({ username: ROOT.FIRST_SUPERUSER, password: ROOT.FIRST_SUPERUSER_PASSWORD, scope: 'admin me items' });
  expect(response.status).toBe(200);
  return response.body.access_token as string;
}

/** The accounts whose name is `name` but for case and width (NFKC), as a superuser lists them. */
async function accountsNamed(service: TestApp, name: string): Promise<{ username: string; is_superuser: boolean; disabled: boolean }[]> {
  const token = await rootToken(service);
  const accounts: { username: string; is_superuser: boolean; disabled: boolean }[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = await service.http.get(`/users/?skip=${skip}&limit=100`).auth(token, { type: 'bearer' }).expect(200);
    accounts.push(...page.body.data);
    if (accounts.length >= page.body.count) break;
  }
  const key = (username: string) => username.normalize('NFKC').toLowerCase();
  return accounts.filter((account) => key(account.username) === key(name));
}

/** How many accounts the name (but for case and width) has: 0 or 1. */
async function accountCount(service: TestApp, name: string): Promise<number> {
  return (await accountsNamed(service, name)).length;
}

/** The items of `owner`, as a superuser lists everyone's. */
async function itemsOwnedBy(service: TestApp, owner: string): Promise<unknown[]> {
  const token = await rootToken(service);
  const page = await service.http.get('/items/?limit=100').auth(token, { type: 'bearer' }).expect(200);
  return page.body.data.filter((item: { owner: string }) => item.owner === owner);
}

function expectInvalidToken(response: { status: number; body: unknown; headers: Record<string, string> }): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: { detail: 'Could not validate credentials' } });
  expect(response.headers['www-authenticate']).toBe('Bearer');
}

describe('accounts', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, ROOT);
    http = service.http;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('POST /users/signup', () => {
    it('answers 201 with exactly the public user: username, email, full_name, disabled', async () => {
      const response = await signUp(http, {
        username: 'newbie',
        password: 'correct horse battery',
        email: 'newbie@example.com',
        full_name: 'New Bie',
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ username: 'newbie', email: 'newbie@example.com', full_name: 'New Bie', disabled: false });
      expect(Object.keys(response.body).sort()).toEqual(PUBLIC_USER_KEYS);
    });

    it('lets the new user log in and read their account', async () => {
      const token = await login(http, 'newbie', 'correct horse battery');
      const me = await http.get('/users/me/').auth(token, { type: 'bearer' });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ username: 'newbie', email: 'newbie@example.com', full_name: 'New Bie', disabled: false });
    });

    it('needs only a username and a password; email and full_name are null', async () => {
      const response = await signUp(http, { username: 'bare-user', password: 'sound passphrase 1' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ username: 'bare-user', email: null, full_name: null, disabled: false });
    });

    it('accepts an address without a top-level domain, stored as given', async () => {
      const response = await signUp(http, { username: 'localmail', password: 'sound passphrase 1', email: 'Local.Mail@localhost' });
      expect(response.status).toBe(201);
      expect(response.body.email).toBe('Local.Mail@localhost');
    });

    it('answers 422 for an email that is not an address', async () => {
      const response = await signUp(http, { username: 'bademail', password: 'sound passphrase 1', email: 'not an email' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'email'], input: 'not an email' })]);
    });

    it('ignores is_superuser and disabled sent by the one signing up', async () => {
      const response = await signUp(http, { username: 'sneaky', password: 'sound passphrase 1', is_superuser: true, disabled: true });
      expect(response.status).toBe(201);
      expect(response.body.disabled).toBe(false);
      expect(await accountsNamed(service, 'sneaky')).toEqual([expect.objectContaining({ is_superuser: false, disabled: false })]);
    });

    it('answers 422 with FastAPI detail entries for a missing username and password', async () => {
      const response = await signUp(http, {});
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        { type: 'missing', loc: ['body', 'username'], msg: 'Field required', input: null },
        { type: 'missing', loc: ['body', 'password'], msg: 'Field required' },
      ]);
    });

    describe('usernames', () => {
      it.each([
        ['3 characters', 'abc'],
        ['64 characters', 'a'.repeat(64)],
        ['letters, digits, _ . and -', 'A_b.c-9'],
        ['letters outside ASCII', 'Zoë'],
      ])('accepts %s', async (_, username) => {
        const response = await signUp(http, { username, password: 'sound passphrase 1' });
        expect(response.status).toBe(201);
        expect(response.body.username).toBe(username);
      });

      it('answers 422 string_too_short for 2 characters', async () => {
        const response = await signUp(http, { username: 'ab', password: 'sound passphrase 1' });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([
          expect.objectContaining({ type: 'string_too_short', loc: ['body', 'username'], input: 'ab' }),
        ]);
      });

      it('answers 422 string_too_long for 65 characters', async () => {
        const username = 'a'.repeat(65);
        const response = await signUp(http, { username, password: 'sound passphrase 1' });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_too_long', loc: ['body', 'username'] })]);
      });

      it.each(['john doe', 'john@doe', 'jo/hn', 'john!', 'jo%hn', "o'brien", 'tab\tname', 'emoji😀'])(
        'answers 422 string_pattern_mismatch for %j',
        async (username) => {
          const response = await signUp(http, { username, password: 'sound passphrase 1' });
          expect(response.status).toBe(422);
          expect(response.body.detail).toEqual([
            expect.objectContaining({ type: 'string_pattern_mismatch', loc: ['body', 'username'], input: username }),
          ]);
        },
      );

      it.each(['me', 'signup', 'ME', 'SignUp', 'ｍｅ'])('answers 422 for the reserved route word %j', async (username) => {
        const response = await signUp(http, { username, password: 'sound passphrase 1' });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'username'] })]);
      });

      it('answers 422 for a name that NFKC makes too long to store, and stores nothing', async () => {
        // U+FDFA is one letter; its NFKC form, under which names are unique, is 18 characters.
        const username = '\uFDFA'.repeat(20);
        const response = await signUp(http, { username, password: 'sound passphrase 1' });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([
          { type: 'value_error', loc: ['body', 'username'], msg: 'Value error, this username is too long once normalised', input: username },
        ]);
        expect(await accountCount(service, username)).toBe(0);
      });

      it('answers 422 for a username that is not a string', async () => {
        const response = await signUp(http, { username: 12345, password: 'sound passphrase 1' });
        expect(response.status).toBe(422);
        expect(response.body.detail[0]).toMatchObject({ type: 'string_type', loc: ['body', 'username'] });
      });

      it.each(['ＪＯＨＮＤＯＥ', 'Ｊｏｈｎｄｏｅ'])('answers 422 for %j: new names are typed without full-width letters', async (username) => {
        const response = await signUp(http, { username, password: 'sound passphrase 1' });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([expect.objectContaining({ type: 'value_error', loc: ['body', 'username'] })]);
        expect(await accountCount(service, 'johndoe')).toBe(1);
      });

      it.each(['johndoe', 'JohnDoe', 'JOHNDOE'])(
        'answers 409 "Username already registered" for %j when johndoe exists',
        async (username) => {
          const response = await signUp(http, { username, password: 'sound passphrase 1' });
          expect(response.status).toBe(409);
          expect(response.body).toEqual({ detail: 'Username already registered' });
        },
      );

      it('treats a name that differs only in case from a new account as taken', async () => {
        expect((await signUp(http, { username: 'CamelCase', password: 'sound passphrase 1' })).status).toBe(201);
        const again = await signUp(http, { username: 'camelcase', password: 'sound passphrase 1' });
        expect(again.status).toBe(409);
        expect(again.body).toEqual({ detail: 'Username already registered' });
        expect(await accountCount(service, 'camelcase')).toBe(1);
      });

      it('refuses a taken name without hashing the password', async () => {
        const hasher = service.app.get(PasswordHasher);
        const hash = jest.spyOn(hasher, 'hash');
        try {
          const response = await signUp(http, { username: 'JOHNDOE', password: 'sound passphrase 1' });
          expect(response.status).toBe(409);
          expect(hash).not.toHaveBeenCalled();
        } finally {
          hash.mockRestore();
        }
      });
    });

    describe('passwords', () => {
      it('accepts 8 characters', async () => {
        const response = await signUp(http, { username: 'pw-eight', password: 'k7#Qm2!x' });
        expect(response.status).toBe(201);
        await login(http, 'pw-eight', 'k7#Qm2!x');
      });

      it('accepts 1024 characters', async () => {
        const password = 'pq'.repeat(512);
        const response = await signUp(http, { username: 'pw-long', password });
        expect(response.status).toBe(201);
        await login(http, 'pw-long', password);
      });

      it('answers 422 string_too_short for 7 characters, without echoing the password', async () => {
        const response = await signUp(http, { username: 'pw-short', password: 'Sev3n!x' });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([
          { type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 8 characters', ctx: { min_length: 8 } },
        ]);
        expect(response.text).not.toContain('Sev3n!x');
      });

      it('answers 422 string_too_long for 1025 characters, without echoing the password', async () => {
        const password = `${'x'.repeat(1020)}Z9q!k`;
        const response = await signUp(http, { username: 'pw-toolong', password });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([
          {
            type: 'string_too_long',
            loc: ['body', 'password'],
            msg: 'String should have at most 1024 characters',
            ctx: { max_length: 1024 },
          },
        ]);
        expect(response.text).not.toContain('Z9q!k');
        expect(await accountCount(service, 'pw-toolong')).toBe(0);
      });

      it('refuses a 1025-character password without hashing it', async () => {
        const hasher = service.app.get(PasswordHasher);
        const hash = jest.spyOn(hasher, 'hash');
        try {
          const response = await signUp(http, { username: 'pw-nohash', password: 'y'.repeat(1025) });
          expect(response.status).toBe(422);
          expect(hash).not.toHaveBeenCalled();
        } finally {
          hash.mockRestore();
        }
      });

      it('answers 422 for a password that is not a string, without echoing it', async () => {
        const response = await signUp(http, { username: 'pw-number', password: 1234567890123 });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_type', loc: ['body', 'password'] })]);
        expect(response.body.detail[0]).not.toHaveProperty('input');
        expect(response.text).not.toContain('1234567890123');
      });
    });

    describe('when sign-ups race', () => {
      let winner: number;

      it('lets exactly one of 20 parallel sign-ups of one name win; the rest answer 409; one row', async () => {
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) => signUp(http, { username: 'racer', password: `password-${i}` })),
        );
        const statuses = responses.map((response) => response.status).sort();
        expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
        for (const response of responses.filter((r) => r.status === 409)) {
          expect(response.body).toEqual({ detail: 'Username already registered' });
        }
        expect(await accountCount(service, 'racer')).toBe(1);
        winner = responses.findIndex((response) => response.status === 201);
      });

      it('keeps the password of the sign-up that answered 201, not a loser\'s', async () => {
        expect(winner).toBeGreaterThanOrEqual(0);
        await login(http, 'racer', `password-${winner}`);
        const loser = await http.post('/token').type('form').send({ username: 'racer', password: `password-${(winner + 1) % 20}` });
        expect(loser.status).toBe(401);
      });

      it('lets exactly one of 10 parallel sign-ups of case variants of one name win', async () => {
        const variants = ['Sprinter', 'SPRINTER', 'sprinter', 'SPRinter', 'sPrInTeR'];
        const responses = await Promise.all(
          Array.from({ length: 10 }, (_, i) => signUp(http, { username: variants[i % variants.length], password: 'sound passphrase 1' })),
        );
        const statuses = responses.map((response) => response.status).sort();
        expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
        expect(await accountCount(service, 'sprinter')).toBe(1);
      });
    });
  });

  describe('PATCH /users/me/', () => {
    let token: string;

    beforeAll(async () => {
      await signUp(http, { username: 'profiler', password: 'blue notebook 7', email: 'old@example.com', full_name: 'Old Name' }).expect(201);
      token = await login(http, 'profiler', 'blue notebook 7');
    });

    it('changes full_name at once and email once verified, and answers 200 with exactly the public user', async () => {
      const response = await http
        .patch('/users/me/')
        .auth(token, { type: 'bearer' })
        .send({ email: 'new@example.com', full_name: 'New Name' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ username: 'profiler', email: 'old@example.com', full_name: 'New Name', disabled: false });
      const me = await http.get('/users/me/').auth(token, { type: 'bearer' });
      expect(me.body).toEqual(response.body);
      const email = await http.get('/users/me/email').auth(token, { type: 'bearer' });
      expect(email.body).toEqual({ email: 'old@example.com', verified: false, pending_email: 'new@example.com' });
    });

    it('changes only the fields sent', async () => {
      const response = await http.patch('/users/me/').auth(token, { type: 'bearer' }).send({ full_name: 'Only Name' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ username: 'profiler', email: 'old@example.com', full_name: 'Only Name', disabled: false });
    });

    it('clears a field set to null', async () => {
      const response = await http.patch('/users/me/').auth(token, { type: 'bearer' }).send({ email: null });
      expect(response.status).toBe(200);
      expect(response.body.email).toBeNull();
      expect(response.body.full_name).toBe('Only Name');
    });

    it('answers 422 for an email that is not an address, and changes nothing', async () => {
      const response = await http.patch('/users/me/').auth(token, { type: 'bearer' }).send({ email: 'nope', full_name: 'Changed?' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'email'] })]);
      const me = await http.get('/users/me/').auth(token, { type: 'bearer' });
      expect(me.body.full_name).toBe('Only Name');
    });

    it('does not let a user rename, disable or promote themselves', async () => {
      const response = await http
        .patch('/users/me/')
        .auth(token, { type: 'bearer' })
        .send({ username: 'renamed', disabled: true, is_superuser: true, full_name: 'Still Me' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ username: 'profiler', email: null, full_name: 'Still Me', disabled: false });
      const admin = await http.post('/token').type('form').send({ username: 'profiler', password: 'blue notebook 7', scope: 'admin me items' });
      expect(admin.status).toBe(200);
      expect(admin.body.scope.split(' ')).not.toContain('admin');
    });

    it('keeps the token working after a profile change', async () => {
      const me = await http.get('/users/me/').auth(token, { type: 'bearer' });
      expect(me.status).toBe(200);
    });

    it('answers 401 without a token', async () => {
      const response = await http.patch('/users/me/').send({ full_name: 'Anon' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
    });
  });

  describe('PATCH /users/me/password', () => {
    let first: string;
    let second: string;
    let changed: Awaited<ReturnType<Http['patch']>>;

    beforeAll(async () => {
      await signUp(http, { username: 'changer', password: 'old-password' }).expect(201);
      first = await login(http, 'changer', 'old-password');
      second = await login(http, 'changer', 'old-password');
    });

    it('answers 400 "Incorrect password" for a wrong current password', async () => {
      const response = await http
        .patch('/users/me/password')
        .auth(first, { type: 'bearer' })
        .send({ current_password: 'not-the-password', new_password: 'new-password' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: 'Incorrect password' });
    });

    it('keeps the password and the tokens after a wrong current password', async () => {
      expect((await http.get('/users/me/').auth(first, { type: 'bearer' })).status).toBe(200);
      await login(http, 'changer', 'old-password');
    });

    it('answers 422 for a new password under 8 characters, echoing neither password', async () => {
      const response = await http
        .patch('/users/me/password')
        .auth(first, { type: 'bearer' })
        .send({ current_password: 'old-password', new_password: 'Sh0rt!' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_too_short', loc: ['body', 'new_password'] })]);
      expect(response.body.detail[0]).not.toHaveProperty('input');
      expect(response.text).not.toContain('Sh0rt!');
      expect(response.text).not.toContain('old-password');
    });

    it('answers 422 for a new password over 1024 characters', async () => {
      const response = await http
        .patch('/users/me/password')
        .auth(first, { type: 'bearer' })
        .send({ current_password: 'old-password', new_password: 'n'.repeat(1025) });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_too_long', loc: ['body', 'new_password'] })]);
      expect(response.body.detail[0]).not.toHaveProperty('input');
    });

    it('answers 422 when current_password is missing', async () => {
      const response = await http.patch('/users/me/password').auth(first, { type: 'bearer' }).send({ new_password: 'new-password' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([{ type: 'missing', loc: ['body', 'current_password'], msg: 'Field required' }]);
    });

    it('answers 200 {"message": "Password updated successfully"} for the right current password', async () => {
      changed = await http
        .patch('/users/me/password')
        .auth(first, { type: 'bearer' })
        .send({ current_password: 'old-password', new_password: 'new-password' });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ message: 'Password updated successfully' });
    });

    it('ends the token that made the change: 401 "Could not validate credentials"', async () => {
      expect(changed?.status).toBe(200);
      expectInvalidToken(await http.get('/users/me/').auth(first, { type: 'bearer' }));
    });

    it('ends every other token issued before the change', async () => {
      expect(changed?.status).toBe(200);
      expectInvalidToken(await http.get('/users/me/').auth(second, { type: 'bearer' }));
      expectInvalidToken(await http.get('/users/me/items/').auth(second, { type: 'bearer' }));
    });

    it('logs in with the new password', async () => {
      const token = await login(http, 'changer', 'new-password');
      const me = await http.get('/users/me/').auth(token, { type: 'bearer' });
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('changer');
    });

    it('no longer logs in with the old password', async () => {
      const response = await http.post('/token').type('form').send({ username: 'changer', password: 'old-password' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Incorrect username or password' });
    });
  });

  describe('DELETE /users/me/', () => {
    let token: string;
    let deleted: Awaited<ReturnType<Http['delete']>>;

    beforeAll(async () => {
      await signUp(http, { username: 'leaver', password: 'goodbye for now' }).expect(201);
      token = await login(http, 'leaver', 'goodbye for now');
      for (const itemId of ['Keep1', 'Keep2']) {
        await http.post('/items/').auth(token, { type: 'bearer' }).send({ item_id: itemId, title: itemId }).expect(201);
      }
    });

    it('answers 400 "Incorrect password" for a wrong current_password, and deletes nothing', async () => {
      const response = await http.delete('/users/me/').auth(token, { type: 'bearer' }).send({ current_password: 'wrong-pass' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: 'Incorrect password' });
      expect((await http.get('/users/me/').auth(token, { type: 'bearer' })).status).toBe(200);
      expect(await itemsOwnedBy(service, 'leaver')).toHaveLength(2);
    });

    it('answers 422 without a JSON body, and deletes nothing', async () => {
      const response = await http.delete('/users/me/').auth(token, { type: 'bearer' });
      expect(response.status).toBe(422);
      expect(Array.isArray(response.body.detail)).toBe(true);
      expect((await http.get('/users/me/').auth(token, { type: 'bearer' })).status).toBe(200);
    });

    it('answers 422 when current_password is missing from the body', async () => {
      const response = await http.delete('/users/me/').auth(token, { type: 'bearer' }).send({});
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([{ type: 'missing', loc: ['body', 'current_password'], msg: 'Field required' }]);
    });

    it('answers 200 {"message": "User deleted successfully"} with the right current_password', async () => {
      deleted = await http.delete('/users/me/').auth(token, { type: 'bearer' }).send({ current_password: 'goodbye for now' });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ message: 'User deleted successfully' });
      expect(await accountCount(service, 'leaver')).toBe(0);
    });

    it("deletes the user's items", async () => {
      expect(deleted?.status).toBe(200);
      expect(await itemsOwnedBy(service, 'leaver')).toEqual([]);
    });

    it('answers 401 "Could not validate credentials" to the deleted user\'s token', async () => {
      expect(deleted?.status).toBe(200);
      expectInvalidToken(await http.get('/users/me/').auth(token, { type: 'bearer' }));
    });

    it('no longer logs the deleted user in', async () => {
      const response = await http.post('/token').type('form').send({ username: 'leaver', password: 'goodbye for now' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Incorrect username or password' });
    });

    it('lets someone else take the name; the old token still answers 401', async () => {
      expect(deleted?.status).toBe(200);
      const again = await signUp(http, { username: 'leaver', password: 'goodbye for now' });
      expect(again.status).toBe(201);
      expectInvalidToken(await http.get('/users/me/').auth(token, { type: 'bearer' }));
      expectInvalidToken(await http.get('/users/me/items/').auth(token, { type: 'bearer' }));
      const fresh = await login(http, 'leaver', 'goodbye for now');
      const items = await http.get('/users/me/items/').auth(fresh, { type: 'bearer' });
      expect(items.status).toBe(200);
      expect(items.body).toEqual([]);
    });

    it('does not revive the old token when the new owner signs up with another case of the name', async () => {
      await signUp(http, { username: 'case-leaver', password: 'goodbye for now' }).expect(201);
      const old = await login(http, 'case-leaver', 'goodbye for now');
      await http.delete('/users/me').auth(old, { type: 'bearer' }).send({ current_password: 'goodbye for now' }).expect(200);
      await signUp(http, { username: 'Case-Leaver', password: 'goodbye for now' }).expect(201);
      expectInvalidToken(await http.get('/users/me/').auth(old, { type: 'bearer' }));
    });
  });

  describe('with SIGNUP_ENABLED=false', () => {
    let closedDatabase: TestDatabase;
    let closed: TestApp;

    beforeAll(async () => {
      closedDatabase = await createTestDatabase();
      closed = await startApp(closedDatabase, { ...ROOT, SIGNUP_ENABLED: 'false' });
    });

    afterAll(async () => {
      await closed?.close();
      await closedDatabase?.drop();
    });

    it('answers 403 {"detail": …} to a sign-up and creates no account', async () => {
      const response = await signUp(closed.http, { username: 'outsider', password: 'sound passphrase 1' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ detail: expect.any(String) });
      expect(await accountCount(closed, 'outsider')).toBe(0);
    });

    it('still logs existing users in', async () => {
      await login(closed.http, 'johndoe', 'secret');
    });
  });
});
