// New passwords that are common, only whitespace or one repeated character, or that contain the
// username are refused with a 422 saying why (never echoing the password), wherever a password is
// set over HTTP; existing users with such passwords still log in.
import { PasswordHasher } from '../src/password/password-hasher.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const ROOT = { FIRST_SUPERUSER: 'policyroot', FIRST_SUPERUSER_PASSWORD: 'a long root passphrase' };

const TOO_COMMON = { type: 'password_too_common', msg: 'Password is too common' };
const TOO_SIMPLE = { type: 'password_too_simple', msg: 'Password must not be only whitespace or one repeated character' };
const HAS_USERNAME = { type: 'password_contains_username', msg: 'Password must not contain the username' };

/** Each weak password, with the name it is tried under and why it is refused. */
const WEAK: [password: string, username: string, reason: { type: string; msg: string }][] = [
  ['password', 'weak-a', TOO_COMMON],
  ['12345678', 'weak-b', TOO_COMMON],
  ['Password1', 'weak-c', TOO_COMMON],
  ['        ', 'weak-d', TOO_SIMPLE],
  ['\t\t\t\t \n  ', 'weak-e', TOO_SIMPLE],
  ['zzzzzzzzzzzz', 'weak-f', TOO_SIMPLE],
  ['weakling', 'weakling', HAS_USERNAME],
  ['my-WeakLing-2026', 'weakling', HAS_USERNAME],
];

describe('password policy', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, ROOT);
    http = service.http;
    const answer = await http.post('/token').type('form').send({ username: ROOT.FIRST_SUPERUSER, password: ROOT.FIRST_SUPERUSER_PASSWORD, scope: 'admin me items' }).expect(200);
    admin = answer.body.access_token as string;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe.each(WEAK)('the password %j for %s', (password, username, reason) => {
    it('is refused at sign-up with a 422 saying why, without echoing it, and creates nobody', async () => {
      const response = await http.post('/users/signup').send({ username, password });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ ...reason, loc: ['body', 'password'] }] });
      expect(response.body.detail[0]).not.toHaveProperty('input');
      await http.post('/token').type('form').send({ username, password }).expect(401);
    });

    it('is refused when a superuser creates the user', async () => {
      const response = await http.post('/users/').auth(admin, { type: 'bearer' }).send({ username, password });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ ...reason, loc: ['body', 'password'] }] });
    });
  });

  describe('changing passwords', () => {
    const USER = { username: 'weakling', password: 'a sound passphrase' };
    let token: string;

    beforeAll(async () => {
      await http.post('/users/signup').send(USER).expect(201);
      token = await login(http, USER.username, USER.password);
    });

    it.each(WEAK.map(([password, , reason]) => [password, reason] as const))('refuses %j as a new password of weakling', async (password, reason) => {
      const response = await http
        .patch('/users/me/password')
        .auth(token, { type: 'bearer' })
        .send({ current_password: USER.password, new_password: password });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ ...reason, loc: ['body', 'new_password'] }] });
      expect(response.body.detail[0]).not.toHaveProperty('input');
      // Nothing changed: the token and the old password still work.
      await http.get('/users/me').auth(token, { type: 'bearer' }).expect(200);
    });

    it.each(WEAK.map(([password, , reason]) => [password, reason] as const))('refuses %j when a superuser sets it for weakling', async (password, reason) => {
      const response = await http.patch(`/users/${USER.username}`).auth(admin, { type: 'bearer' }).send({ password });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ ...reason, loc: ['body', 'password'] }] });
      await login(http, USER.username, USER.password);
    });

    it('accepts a password that merely resembles a short name no one has', async () => {
      await http.post('/users/signup').send({ username: 'strong-one', password: 'correct horse battery staple' }).expect(201);
    });
  });

  it('still lets an existing user whose stored password is weak log in', async () => {
    const hash = await new PasswordHasher().hash('password');
    const { UsersService } = await import('../src/users/users.service.js');
    await service.app.get(UsersService).addUnlessTaken({ username: 'legacy', email: null, fullName: null, hashedPassword: hash, disabled: false });
    await login(http, 'legacy', 'password');
  });
});
