// Password recovery (issue 17), as a client and a mailbox see it: the real app on a real database,
// sending through a real SMTP server. The same answer for every address; a single-use link, only to
// a known, active account; a reset that ends every session; the notice of every password change.
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditLog } from '../src/observability/audit-log.js';
import { TestSmtpServer } from './support/smtp.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

type Http = TestApp['http'];

const SENT = { message: 'Password recovery email sent' };
const UPDATED = { message: 'Password updated successfully' };
const INVALID_TOKEN = { detail: 'Invalid token' };
const RESET_SUBJECT = 'Reset your password';
const CHANGED_SUBJECT = 'Your password was changed';
const PASSWORD = 'first long password';

let accounts = 0;

/** A new account with its own address, so that no test's mail or limits reach another's. */
async function newAccount(http: Http, extra: Record<string, unknown> = {}) {
  accounts += 1;
  const username = `recoverer${accounts}`;
  const email = `${username}@example.com`;
  await http.post('/users/signup').send({ username, password: PASSWORD, email, ...extra }).expect(201);
  return { username, email };
}

const recover = (http: Http, email: string) => http.post(`/password-recovery/${encodeURIComponent(email)}`);

const reset = (http: Http, token: string, newPassword: string) => http.post('/reset-password/').send({ token, new_password: newPassword });

/** The status of the recovery messages written for `email`, once none is pending any more. */
async function settledRecoveryStatuses(service: TestApp, email: string): Promise<string[]> {
  const dataSource = service.app.get(DataSource);
  for (const deadline = Date.now() + 30_000; ; ) {
    const rows: { status: string; payload: string }[] = await dataSource.query(`SELECT status, payload FROM outbox WHERE kind = 'password_recovery'`);
    const mine = rows.filter((row) => (JSON.parse(row.payload) as { email: string }).email === email);
    if (mine.length > 0 && mine.every((row) => row.status !== 'pending')) return mine.map((row) => row.status);
    if (Date.now() > deadline) throw new Error(`recovery messages for ${email} still pending: ${JSON.stringify(mine)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe('password recovery', () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let service: TestApp;
  let http: Http;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    database = await createTestDatabase();
    // Every request here comes from one address: only the per-recipient limit is the default's.
    service = await startApp(database, { SMTP_URL: smtp.url, MAIL_MAX_PER_ADDRESS: '100000', PUBLIC_URL: 'https://id.example.com' });
    http = service.http;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
    await smtp?.stop();
  });

  /** The mail to `email` with `subject` that arrived after `already` others, once it has. */
  async function nthMail(email: string, subject: string, already = 0) {
    const mails = () => smtp.to(email).filter((mail) => mail.subject === subject);
    await smtp.waitFor(() => mails().length > already);
    return mails()[already];
  }

  /** Asks for a link for `email` and returns the token of the reset mail after `already` others. */
  async function mailedToken(email: string, already = 0): Promise<string> {
    await recover(http, email).expect(200, SENT);
    return (await nthMail(email, RESET_SUBJECT, already)).token!;
  }

  describe('POST /password-recovery/{email}', () => {
    it('answers the same status and body for a known and an unknown address, and mails only the known one', async () => {
      const { username, email } = await newAccount(http);
      const unknown = 'nobody-here@example.com';
      const known = await recover(http, email);
      const stranger = await recover(http, unknown);
      expect([stranger.status, stranger.body]).toEqual([known.status, known.body]);
      expect([known.status, known.body]).toEqual([200, SENT]);
      expect(Object.keys(stranger.headers).sort()).toEqual(Object.keys(known.headers).sort());

      const mail = await smtp.waitForMail(email, RESET_SUBJECT);
      expect(mail.text).toContain(`Hello ${username},`);
      expect(mail.text).toContain('within 30 minutes');
      // The link is RESET_URL_TEMPLATE's default, from PUBLIC_URL, with a 256-bit token.
      expect(mail.link).toMatch(/^https:\/\/id\.example\.com\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
      expect(mail.html).toContain(mail.link!.replace(/&/g, '&amp;'));
      // The worker took the unknown address's message and sent nothing for it.
      expect(await settledRecoveryStatuses(service, unknown)).toEqual(['skipped']);
      expect(smtp.to(unknown)).toEqual([]);
    });

    it('sends the link to the account whatever the case of the submitted address, to the address as the account spelt it', async () => {
      const { email } = await newAccount(http);
      await recover(http, email.toUpperCase()).expect(200, SENT);
      const mail = await smtp.waitForMail(email, RESET_SUBJECT);
      expect(mail.to).toEqual([email]);
    });

    it('sends a verified owner the link (the demo addresses are verified)', async () => {
      await recover(http, 'Stanley.Jobson@localhost').expect(200, SENT);
      const mail = await smtp.waitForMail('stanley.jobson@localhost', RESET_SUBJECT);
      expect(mail.text).toContain('Hello stanley,');
    });

    it('sends the link for the oldest account when several gave the same unverified address', async () => {
      const shared = 'shared-address@example.com';
      await http.post('/users/signup').send({ username: 'first-claimer', password: PASSWORD, email: shared }).expect(201);
      await http.post('/users/signup').send({ username: 'second-claimer', password: PASSWORD, email: shared }).expect(201);
      // The second made the older of the two, whatever the clock's resolution.
      const earlier = database.dialect === 'postgres' ? "created_at - INTERVAL '1 day'" : "datetime(created_at, '-1 day')";
      await service.app.get(DataSource).query(`UPDATE users SET created_at = ${earlier} WHERE username = 'second-claimer'`);
      await recover(http, shared).expect(200, SENT);
      expect((await smtp.waitForMail(shared, RESET_SUBJECT)).text).toContain('Hello second-claimer,');
    });

    it('sends nothing to a disabled account, with the same answer', async () => {
      // eve, of the demo data, is disabled.
      await recover(http, 'eve@example.com').expect(200, SENT);
      expect(await settledRecoveryStatuses(service, 'eve@example.com')).toEqual(['skipped']);
      expect(smtp.to('eve@example.com')).toEqual([]);
    });

    it('answers 422 in the validation shape to an address that is not one', async () => {
      const response = await recover(http, 'johndoe').expect(422);
      expect(response.body).toEqual({
        detail: [expect.objectContaining({ loc: ['path', 'email'], type: expect.any(String), msg: expect.any(String) })],
      });
    });

    it('past MAIL_MAX_PER_EMAIL answers the same 200 and sends nothing more', async () => {
      const { email } = await newAccount(http);
      for (let request = 0; request < 3; request += 1) await recover(http, email).expect(200, SENT);
      await nthMail(email, RESET_SUBJECT, 2);
      const beyond = await recover(http, email);
      expect([beyond.status, beyond.body]).toEqual([200, SENT]);
      // Nothing was written for it: three messages, all handled, and three mails.
      expect(await settledRecoveryStatuses(service, email)).toEqual(['sent', 'sent', 'sent']);
      // (The sign-up's verification mail went to the same address, apart from these.)
      expect(smtp.to(email).filter((mail) => mail.subject === RESET_SUBJECT)).toHaveLength(3);
    });

    it('never writes the submitted address into the audit line (it would say whether an account has it)', async () => {
      const record = jest.spyOn(service.app.get(AuditLog), 'record');
      try {
        await recover(http, 'audit-probe@example.com').expect(200);
        const audit = record.mock.calls.filter(([event]) => event === 'password.recovery_requested');
        expect(audit).toEqual([['password.recovery_requested', { limited: false }, expect.objectContaining({ requestId: expect.any(String) })]]);
        expect(JSON.stringify(audit)).not.toContain('audit-probe');
      } finally {
        record.mockRestore();
      }
    });
  });

  describe('POST /reset-password/', () => {
    it('sets the new password, ends every token and session of the account, and sends the notice', async () => {
      const { username, email } = await newAccount(http);
      const tokens = (await http.post('/token').type('form').send({ username, password: PASSWORD }).expect(200)).body as { access_token: string; refresh_token: string };
      const token = await mailedToken(email);

      await reset(http, token, 'second long password').expect(200, UPDATED);

      await http.get('/users/me').auth(tokens.access_token, { type: 'bearer' }).expect(401);
      const refresh = await http.post('/token').type('form').send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      expect([refresh.status, refresh.body.error]).toEqual([400, 'invalid_grant']);
      await http.post('/token').type('form').send({ username, password: PASSWORD }).expect(401);
      await login(http, username, 'second long password');

      const notice = await smtp.waitForMail(email, CHANGED_SUBJECT);
      expect(notice.text).toContain(`The password of your account ${username} was changed on`);
      expect(notice.text).toMatch(/UTC, from (::ffff:)?127\.0\.0\.1\./);
      expect(notice.text).not.toContain(token);
    });

    it('answers 400 "Invalid token" to a token used already', async () => {
      const { email } = await newAccount(http);
      const token = await mailedToken(email);
      await reset(http, token, 'second long password').expect(200, UPDATED);
      await reset(http, token, 'third long password').expect(400, INVALID_TOKEN);
    });

    it('answers 400 "Invalid token" to an expired token', async () => {
      const { username, email } = await newAccount(http);
      const token = await mailedToken(email);
      await service.app.get(DataSource).query(`UPDATE account_tokens SET expires_at = ${Date.now() - 1000} WHERE purpose = 'reset' AND user_id = (SELECT id FROM users WHERE username = '${username}')`);
      await reset(http, token, 'second long password').expect(400, INVALID_TOKEN);
      await login(http, username, PASSWORD);
    });

    it('answers 400 "Invalid token" to a token never issued', async () => {
      await reset(http, 'A'.repeat(43), 'second long password').expect(400, INVALID_TOKEN);
    });

    it('voids the first link when a second is asked for', async () => {
      const { email } = await newAccount(http);
      const first = await mailedToken(email);
      const second = await mailedToken(email, 1);
      expect(second).not.toEqual(first);
      await reset(http, first, 'second long password').expect(400, INVALID_TOKEN);
      await reset(http, second, 'second long password').expect(200, UPDATED);
    });

    it('refuses a weak password with 422 and leaves the link working', async () => {
      const { username, email } = await newAccount(http);
      const token = await mailedToken(email);
      const containsName = await reset(http, token, `my ${username} password`).expect(422);
      expect(containsName.body.detail[0].loc).toEqual(['body', 'new_password']);
      const common = await reset(http, token, '12345678').expect(422);
      expect(common.body.detail[0].loc).toEqual(['body', 'new_password']);
      await reset(http, token, 'second long password').expect(200, UPDATED);
      await login(http, username, 'second long password');
    });

    it('answers 400 "Invalid token" for an account disabled since the link was sent', async () => {
      const { username, email } = await newAccount(http);
      const token = await mailedToken(email);
      await service.app.get(DataSource).query(`UPDATE users SET disabled = TRUE WHERE username = '${username}'`);
      await reset(http, token, 'second long password').expect(400, INVALID_TOKEN);
    });
  });

  describe('PATCH /users/me/password', () => {
    it('sends the notice and voids an outstanding reset link', async () => {
      const { username, email } = await newAccount(http);
      const token = await mailedToken(email);
      const access = await login(http, username, PASSWORD);
      await http.patch('/users/me/password').auth(access, { type: 'bearer' }).send({ current_password: PASSWORD, new_password: 'second long password' }).expect(200);
      const notice = await smtp.waitForMail(email, CHANGED_SUBJECT);
      expect(notice.text).toContain(`The password of your account ${username} was changed on`);
      await reset(http, token, 'third long password').expect(400, INVALID_TOKEN);
      await login(http, username, 'second long password');
    });

    it('sends no notice to an account without an address', async () => {
      await http.post('/users/signup').send({ username: 'no-address-user', password: PASSWORD }).expect(201);
      const access = await login(http, 'no-address-user', PASSWORD);
      await http.patch('/users/me/password').auth(access, { type: 'bearer' }).send({ current_password: PASSWORD, new_password: 'second long password' }).expect(200);
      const rows: { n: string | number }[] = await service.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'password_changed' AND payload LIKE '%no-address-user%'`);
      expect(Number(rows[0].n)).toBe(0);
    });
  });

  describe('the reset pages', () => {
    it('GET /reset-password?token= shows a form holding the token, uncached and with no referrer', async () => {
      const { email } = await newAccount(http);
      const token = await mailedToken(email);
      const page = await http.get(`/reset-password?token=${token}`).expect(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
      expect(page.text).toContain('<form method="post">');
      expect(page.text.match(/autocomplete="new-password"/g)).toHaveLength(2);
      expect(page.text).not.toContain('<script');
    });

    it('GET /reset-password with a bad token says the link is invalid, and escapes nothing into the page', async () => {
      const page = await http.get(`/reset-password?token=${encodeURIComponent('"><script>alert(1)</script>')}`).expect(400);
      expect(page.text).toContain('This link is invalid or has expired');
      expect(page.text).not.toContain('<script');
      await http.get('/reset-password').expect(400);
    });

    it('a form post changes the password and says so', async () => {
      const { username, email } = await newAccount(http);
      const token = await mailedToken(email);
      const done = await http.post(`/reset-password?token=${token}`).type('form').send({ token, new_password: 'second long password', confirm_password: 'second long password' }).expect(200);
      expect(done.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(done.headers['cache-control']).toBe('no-store');
      expect(done.text).toContain('Your password has been changed');
      await login(http, username, 'second long password');
      const again = await http.post('/reset-password').type('form').send({ token, new_password: 'third long password', confirm_password: 'third long password' }).expect(400);
      expect(again.text).toContain('This link is invalid or has expired');
    });

    it('a form post with a weak or mistyped password shows the reason and the form again, and the link still works', async () => {
      const { username, email } = await newAccount(http);
      const token = await mailedToken(email);
      const weak = await http.post('/reset-password').type('form').send({ token, new_password: `my ${username} password`, confirm_password: `my ${username} password` }).expect(422);
      expect(weak.text).toMatch(/class="problem" role="alert">[^<]*username/);
      expect(weak.text).toContain(`value="${token}"`);
      const mistyped = await http.post('/reset-password').type('form').send({ token, new_password: 'second long password', confirm_password: 'second long passwort' }).expect(422);
      expect(mistyped.text).toContain('The two passwords differ.');
      await http.post('/reset-password').type('form').send({ token, new_password: 'second long password', confirm_password: 'second long password' }).expect(200);
      await login(http, username, 'second long password');
    });
  });

  describe('timing', () => {
    let timed: TestApp;

    beforeAll(async () => {
      timed = await startApp(database, { SMTP_URL: smtp.url, MAIL_MAX_PER_ADDRESS: '100000', MAIL_MAX_PER_EMAIL: '100000' });
    });

    afterAll(async () => {
      await timed?.close();
    });

    it('prints the medians of recovery requests for a known and an unknown address (not asserted: machines differ)', async () => {
      const { email } = await newAccount(timed.http);
      const unknown = 'not-an-account@example.com';
      const rounds = 40;
      const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
      const time = async (address: string) => {
        const started = process.hrtime.bigint();
        await recover(timed.http, address).expect(200, SENT);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      // Warm-up, then the two interleaved, so that drift in the machine's load falls on both alike.
      await time(unknown);
      await time(email);
      for (let round = 0; round < rounds; round += 1) {
        if (round % 2) {
          times.known.push(await time(email));
          times.unknown.push(await time(unknown));
        } else {
          times.unknown.push(await time(unknown));
          times.known.push(await time(email));
        }
      }
      console.log(
        `recovery request medians over ${rounds} each (${database.dialect}): known ${median(times.known).toFixed(2)} ms, unknown ${median(times.unknown).toFixed(2)} ms`,
      );
      expect(times.known).toHaveLength(rounds);
    });
  });
});

describe('password recovery in production without SMTP_URL', () => {
  let database: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { NODE_ENV: 'production', DEMO_DATA: 'false', PUBLIC_URL: 'https://id.example.com' });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('answers 503 "Email is not configured on this server"', async () => {
    await recover(service.http, 'johndoe@example.com').expect(503, { detail: 'Email is not configured on this server' });
  });
});
