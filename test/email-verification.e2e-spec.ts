// Verified email addresses: sign-up → mail → verify, a change of address, one verified
// address per account, login by a verified address, REQUIRE_VERIFIED_EMAIL, the link's pages and
// the mail limit, on a real database and through a real SMTP server.
import { DataSource } from 'typeorm';
import { AccountToken } from '../src/users/account-token.entity.js';
import { User } from '../src/users/user.entity.js';
import { usernameKey } from '../src/users/username.js';
import { TestSmtpServer } from './support/smtp.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const VERIFY_SUBJECT = 'Confirm your email address';
const CHANGE_SUBJECT = 'Your email address is being changed';
const PASSWORD = 'sound passphrase 1';
const ROOT = { FIRST_SUPERUSER: 'root1', FIRST_SUPERUSER_PASSWORD: 'mail room keys 9' };

type Http = TestApp['http'];

let database: TestDatabase;
let smtp: TestSmtpServer;
let service: TestApp;
let http: Http;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await new TestSmtpServer().start();
  service = await startApp(database, { SMTP_URL: smtp.url, MAIL_MAX_PER_ADDRESS: '10000', MAIL_MAX_PER_EMAIL: '3', ...ROOT });
  http = service.http;
});

afterAll(async () => {
  await service?.close();
  await smtp?.stop();
  await database?.drop();
});

async function register(username: string, email: string | null): Promise<void> {
  await http.post('/users/signup').send({ username, password: PASSWORD, email }).expect(201);
}

/** Signs `username` up with `email` and returns a token of theirs. */
async function signUp(username: string, email: string | null): Promise<string> {
  await register(username, email);
  return login(http, username, PASSWORD);
}

async function rootToken(): Promise<string> {
  const response = await http.post('/token').type('form').send({ username: ROOT.FIRST_SUPERUSER, password: ROOT.FIRST_SUPERUSER_PASSWORD, scope: 'admin me items' });
  expect(response.status).toBe(200);
  return response.body.access_token as string;
}

function emailOf(token: string) {
  return http.get('/users/me/email').auth(token, { type: 'bearer' });
}

function verify(token: string | undefined) {
  return http.post('/verify-email').send({ token });
}

/** The token of the next verification link mailed to `email`, after `already` of them. */
async function mailedToken(email: string, already = 0): Promise<string> {
  const mail = await smtp.waitForMail(email, VERIFY_SUBJECT, already);
  expect(mail.token).toEqual(expect.any(String));
  return mail.token!;
}

async function userId(username: string): Promise<string> {
  return (await service.app.get(DataSource).getRepository(User).findOneByOrFail({ usernameKey: usernameKey(username) })).id;
}

/** Verification messages ever written for `email`, read from the outbox table. */
async function verifyMessagesTo(email: string): Promise<number> {
  const rows = await service.app.get(DataSource).query('SELECT payload FROM outbox');
  return (rows as { payload: string }[]).filter(({ payload }) => JSON.parse(payload).email === email).length;
}

describe('sign-up, then the mailed link', () => {
  it('mails a link to a new address, which verifies it', async () => {
    const token = await signUp('verifier', 'Verifier@Example.com');
    expect((await emailOf(token)).body).toEqual({ email: 'Verifier@Example.com', verified: false, pending_email: null });
    const mail = await smtp.waitForMail('verifier@example.com', VERIFY_SUBJECT);
    expect(mail.link).toBe(`${service.config.publicUrl}/verify-email?token=${mail.token}`);
    expect(mail.html).toContain(mail.token);

    const response = await verify(mail.token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ message: 'Email verified' });
    expect((await emailOf(token)).body).toEqual({ email: 'Verifier@Example.com', verified: true, pending_email: null });
  });

  it('answers 400 Invalid token for a used token', async () => {
    await signUp('used-link', 'used-link@example.com');
    const token = await mailedToken('used-link@example.com');
    await verify(token).expect(200);
    const again = await verify(token);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ detail: 'Invalid token' });
  });

  it('answers 400 Invalid token for an unknown token', async () => {
    const response = await verify('bm90LWEtcmVhbC10b2tlbi1ub3QtYS1yZWFsLXRva2Vu');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: 'Invalid token' });
  });

  it('answers 400 Invalid token for an expired token, and the address stays unverified', async () => {
    const session = await signUp('late-link', 'late-link@example.com');
    const token = await mailedToken('late-link@example.com');
    await service.app.get(DataSource).getRepository(AccountToken).update({ userId: await userId('late-link') }, { expiresAt: Date.now() - 1000 });
    expect((await verify(token)).body).toEqual({ detail: 'Invalid token' });
    expect((await emailOf(session)).body.verified).toBe(false);
  });

  it('answers 422 for a request without a token', async () => {
    const response = await http.post('/verify-email').send({});
    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'token'] })]);
  });
});

describe('POST /users/me/email/verification', () => {
  it('answers 202 and mails a new link, which voids the earlier one', async () => {
    const session = await signUp('resender', 'resender@example.com');
    const first = await mailedToken('resender@example.com');
    const response = await http.post('/users/me/email/verification').auth(session, { type: 'bearer' });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ message: 'Verification email sent' });
    const second = await mailedToken('resender@example.com', 1);
    expect(second).not.toBe(first);
    expect((await verify(first)).body).toEqual({ detail: 'Invalid token' });
    await verify(second).expect(200);
  });

  it('answers 400 when the address is verified and nothing is pending', async () => {
    const session = await signUp('all-done', 'all-done@example.com');
    await verify(await mailedToken('all-done@example.com')).expect(200);
    const response = await http.post('/users/me/email/verification').auth(session, { type: 'bearer' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: 'No email address to verify' });
  });

  it('answers 400 when there is no address', async () => {
    const session = await signUp('no-address', null);
    const response = await http.post('/users/me/email/verification').auth(session, { type: 'bearer' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: 'No email address to verify' });
  });

  it('answers the same 202 past MAIL_MAX_PER_EMAIL, and sends nothing more', async () => {
    const session = await signUp('limited', 'limited@example.com');
    await mailedToken('limited@example.com');
    for (let i = 0; i < 3; i++) await http.post('/users/me/email/verification').auth(session, { type: 'bearer' }).expect(202);
    await mailedToken('limited@example.com', 3);
    expect(await verifyMessagesTo('limited@example.com')).toBe(4);

    const over = await http.post('/users/me/email/verification').auth(session, { type: 'bearer' });
    expect(over.status).toBe(202);
    expect(over.body).toEqual({ message: 'Verification email sent' });
    expect(await verifyMessagesTo('limited@example.com')).toBe(4);
    // A later mail arrives, and the refused one never did.
    await signUp('after-limited', 'after-limited@example.com');
    await mailedToken('after-limited@example.com');
    expect(smtp.to('limited@example.com')).toHaveLength(4);
  });

  it('answers 401 without a token', async () => {
    expect((await http.post('/users/me/email/verification')).status).toBe(401);
  });
});

describe('a change of address by the user', () => {
  let session: string;
  let changeToken: string;

  beforeAll(async () => {
    session = await signUp('mover', 'old-home@example.com');
    await verify(await mailedToken('old-home@example.com')).expect(200);
  });

  it('answers 200 with the old address still in place, and the public user as it was', async () => {
    const response = await http.patch('/users/me/').auth(session, { type: 'bearer' }).send({ email: 'new-home@example.com', full_name: 'Mo Ver' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ username: 'mover', email: 'old-home@example.com', full_name: 'Mo Ver', disabled: false });
    const me = await http.get('/users/me/').auth(session, { type: 'bearer' });
    expect(me.body).toEqual(response.body);
    expect((await emailOf(session)).body).toEqual({ email: 'old-home@example.com', verified: true, pending_email: 'new-home@example.com' });
  });

  it('mails a link to the new address and a notice to the old one', async () => {
    changeToken = await mailedToken('new-home@example.com');
    const notice = await smtp.waitForMail('old-home@example.com', CHANGE_SUBJECT);
    expect(notice.text).toContain('new-home@example.com');
    expect(notice.text).toContain('mover');
    expect(notice.token).toBeUndefined();
  });

  it('does not let the new address log in before it is verified', async () => {
    const response = await http.post('/token').type('form').send({ username: 'new-home@example.com', password: PASSWORD });
    expect(response.status).toBe(401);
    await login(http, 'old-home@example.com', PASSWORD);
  });

  it('takes effect when the new address is verified', async () => {
    await verify(changeToken).expect(200);
    expect((await emailOf(session)).body).toEqual({ email: 'new-home@example.com', verified: true, pending_email: null });
    expect((await http.get('/users/me/').auth(session, { type: 'bearer' })).body.email).toBe('new-home@example.com');
    await login(http, 'new-home@example.com', PASSWORD);
    expect((await http.post('/token').type('form').send({ username: 'old-home@example.com', password: PASSWORD })).status).toBe(401);
  });

  it('voids the links of the address it replaces', async () => {
    const other = await signUp('changer', 'first-try@example.com');
    const stale = await mailedToken('first-try@example.com');
    await http.patch('/users/me/').auth(other, { type: 'bearer' }).send({ email: 'second-try@example.com' }).expect(200);
    expect((await verify(stale)).body).toEqual({ detail: 'Invalid token' });
    await verify(await mailedToken('second-try@example.com')).expect(200);
    expect((await emailOf(other)).body).toEqual({ email: 'second-try@example.com', verified: true, pending_email: null });
  });

  it('removes the address and a pending one at once when email is null', async () => {
    const other = await signUp('leaver', 'leaving@example.com');
    await http.patch('/users/me/').auth(other, { type: 'bearer' }).send({ email: 'elsewhere@example.com' }).expect(200);
    // The link, once mailed (a link not yet made when the address is withdrawn is never mailed at all).
    const link = await mailedToken('elsewhere@example.com');
    const response = await http.patch('/users/me/').auth(other, { type: 'bearer' }).send({ email: null });
    expect(response.status).toBe(200);
    expect(response.body.email).toBeNull();
    expect((await emailOf(other)).body).toEqual({ email: null, verified: false, pending_email: null });
    expect((await verify(link)).body).toEqual({ detail: 'Invalid token' });
  });

  it('holds the link back past MAIL_MAX_PER_EMAIL, and the change still stands', async () => {
    const other = await signUp('flip-flop', null);
    const change = (email: string) => http.patch('/users/me/').auth(other, { type: 'bearer' }).send({ email }).expect(200);
    for (let i = 0; i < 3; i++) {
      await change('flip@example.com');
      await change('flop@example.com');
    }
    expect(await verifyMessagesTo('flip@example.com')).toBe(3);
    await change('flip@example.com');
    expect(await verifyMessagesTo('flip@example.com')).toBe(3);
    expect((await emailOf(other)).body).toEqual({ email: null, verified: false, pending_email: 'flip@example.com' });
  });

  it('stays immediate and unverified when a superuser makes it', async () => {
    const other = await signUp('managed', 'managed@example.com');
    const root = await rootToken();
    const response = await http.patch('/users/managed').auth(root, { type: 'bearer' }).send({ email: 'assigned@example.com' });
    expect(response.status).toBe(200);
    expect(response.body.email).toBe('assigned@example.com');
    expect((await emailOf(other)).body).toEqual({ email: 'assigned@example.com', verified: false, pending_email: null });
  });
});

describe('one verified address per account', () => {
  it('refuses a sign-up with an address another account verified, in any case, with 409', async () => {
    const response = await http.post('/users/signup').send({ username: 'squatter', password: PASSWORD, email: 'JohnDoe@EXAMPLE.com' });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ detail: 'Email already registered' });
  });

  it("refuses a user's change to an address another account verified with 409", async () => {
    const session = await signUp('would-be', 'would-be@example.com');
    const response = await http.patch('/users/me/').auth(session, { type: 'bearer' }).send({ email: 'johndoe@example.com' });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ detail: 'Email already registered' });
    expect((await emailOf(session)).body.pending_email).toBeNull();
  });

  it("refuses a superuser's change to an address another account verified with 409", async () => {
    await signUp('admin-target', null);
    const root = await rootToken();
    const response = await http.patch('/users/admin-target').auth(root, { type: 'bearer' }).send({ email: 'alice@example.com' });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ detail: 'Email already registered' });
  });

  it("lets anyone claim an unverified address, and verifying it ends the others' claims", async () => {
    const first = await signUp('claimant-a', 'shared@example.com');
    const second = await signUp('claimant-b', 'Shared@Example.com');
    const third = await signUp('claimant-c', 'claimant-c@example.com');
    await http.patch('/users/me/').auth(third, { type: 'bearer' }).send({ email: 'SHARED@example.com' }).expect(200);
    const linkOf = async (username: string) =>
      (await smtp.waitFor((mail) => mail.to.includes('shared@example.com') && mail.subject === VERIFY_SUBJECT && mail.text.includes(`Hello ${username},`))).token;
    const [firstLink, secondLink, thirdLink] = [await linkOf('claimant-a'), await linkOf('claimant-b'), await linkOf('claimant-c')];

    await verify(firstLink).expect(200);
    expect((await emailOf(first)).body).toEqual({ email: 'shared@example.com', verified: true, pending_email: null });
    expect((await emailOf(second)).body).toEqual({ email: null, verified: false, pending_email: null });
    expect((await emailOf(third)).body).toEqual({ email: 'claimant-c@example.com', verified: false, pending_email: null });
    expect((await verify(secondLink)).body).toEqual({ detail: 'Invalid token' });
    expect((await verify(thirdLink)).body).toEqual({ detail: 'Invalid token' });
  });
  it('lets exactly one of two accounts verifying one address at once win', async () => {
    const first = await signUp('racer-a', 'contested@example.com');
    const second = await signUp('racer-b', 'contested@example.com');
    const linkOf = async (username: string) =>
      (await smtp.waitFor((mail) => mail.to.includes('contested@example.com') && mail.text.includes(`Hello ${username},`))).token;
    const links = [await linkOf('racer-a'), await linkOf('racer-b')];
    const responses = await Promise.all(links.map(verify));
    // They take turns: the second finds its claim ended by the first.
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    expect(responses.map((response) => response.body)).toContainEqual({ detail: 'Invalid token' });
    const verified = (await Promise.all([emailOf(first), emailOf(second)])).filter((response) => response.body.verified);
    expect(verified).toHaveLength(1);
  });
});

describe('login by a verified address', () => {
  it('logs in with a verified address, in any case, as the username would', async () => {
    await signUp('by-mail', 'by-mail@example.com');
    await verify(await mailedToken('by-mail@example.com')).expect(200);
    const response = await http.post('/token').type('form').send({ username: 'BY-MAIL@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
    const me = await http.get('/users/me/').auth(response.body.access_token, { type: 'bearer' });
    expect(me.body.username).toBe('by-mail');
  });

  it('does not log in with an unverified address', async () => {
    await signUp('not-yet', 'not-yet@example.com');
    const response = await http.post('/token').type('form').send({ username: 'not-yet@example.com', password: PASSWORD });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ detail: 'Incorrect username or password' });
  });

  it('answers a wrong password for a verified address like any other', async () => {
    const response = await http.post('/token').type('form').send({ username: 'johndoe@example.com', password: 'not the password' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ detail: 'Incorrect username or password' });
  });
});

describe('the pages of the mailed link', () => {
  it('shows a button that posts the token, and verifies nothing by being opened', async () => {
    const session = await signUp('browser', 'browser@example.com');
    const token = await mailedToken('browser@example.com');
    const page = await http.get(`/verify-email?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<form method="post">');
    expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(page.text).toContain('Confirm my email address');
    expect(page.text).not.toContain('<script');
    expect((await emailOf(session)).body.verified).toBe(false);

    const confirmed = await http.post('/verify-email').type('form').send({ token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers['content-type']).toMatch(/^text\/html/);
    expect(confirmed.text).toContain('Email verified');
    expect((await emailOf(session)).body.verified).toBe(true);

    const again = await http.post('/verify-email').type('form').send({ token });
    expect(again.status).toBe(400);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.text).toContain('This link is invalid or has expired');
  });

  it('escapes the token it shows', async () => {
    const page = await http.get(`/verify-email?token=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('says the link is invalid when it has no token', async () => {
    const page = await http.get('/verify-email');
    expect(page.status).toBe(400);
    expect(page.text).toContain('This link is invalid or has expired');
    expect(page.text).not.toContain('<form');
  });
});

// Passport's strategies are registered per process: once this second app starts, POST /token of
// either app logs in as this one does. So these run last but one, and log in only through it.
describe('REQUIRE_VERIFIED_EMAIL', () => {
  let strict: TestApp;

  beforeAll(async () => {
    strict = await startApp(database, { SMTP_URL: smtp.url, REQUIRE_VERIFIED_EMAIL: 'true', ...ROOT });
  });

  afterAll(async () => {
    await strict?.close();
  });

  it('answers 400 Email not verified to an unverified user with the right password', async () => {
    await register('unproven', 'unproven@example.com');
    const response = await strict.http.post('/token').type('form').send({ username: 'unproven', password: PASSWORD });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: 'Email not verified' });
  });

  it('counts a user without an address as unverified', async () => {
    await register('addressless', null);
    const response = await strict.http.post('/token').type('form').send({ username: 'addressless', password: PASSWORD });
    expect(response.body).toEqual({ detail: 'Email not verified' });
  });

  it('answers a wrong password as usual', async () => {
    const response = await strict.http.post('/token').type('form').send({ username: 'unproven', password: 'wrong password' });
    expect(response.status).toBe(401);
  });

  it('logs a verified user in', async () => {
    await register('proven', 'proven@example.com');
    await verify(await mailedToken('proven@example.com')).expect(200);
    await login(strict.http, 'proven', PASSWORD);
  });
});

// Last: its app is the one whose login POST /token then uses (see REQUIRE_VERIFIED_EMAIL).
describe('in production without SMTP_URL', () => {
  let productionDatabase: TestDatabase;
  let production: TestApp;

  beforeAll(async () => {
    productionDatabase = await createTestDatabase();
    production = await startApp(productionDatabase, { NODE_ENV: 'production', DEMO_DATA: 'false', PUBLIC_URL: 'https://id.example.com' });
  });

  afterAll(async () => {
    await production?.close();
    await productionDatabase?.drop();
  });

  it('answers 503 to a request for a verification link, and to a change of address', async () => {
    await production.http.post('/users/signup').send({ username: 'offline', password: PASSWORD, email: 'offline@example.com' }).expect(201);
    const session = await login(production.http, 'offline', PASSWORD);
    const request = await production.http.post('/users/me/email/verification').auth(session, { type: 'bearer' });
    expect(request.status).toBe(503);
    expect(request.body).toEqual({ detail: 'Email is not configured on this server' });
    const change = await production.http.patch('/users/me/').auth(session, { type: 'bearer' }).send({ email: 'online@example.com' });
    expect(change.status).toBe(503);
    expect((await production.http.get('/users/me/email').auth(session, { type: 'bearer' })).body.pending_email).toBeNull();
  });
});
