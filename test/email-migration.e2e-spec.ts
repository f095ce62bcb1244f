// Addresses stored before verification existed: the migration keeps every account and address,
// none verified, compared as addresses are (case, IDNA domain), so accounts that share one keep it
// until one of them verifies it. And the verification link follows VERIFY_URL_TEMPLATE.
import argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { MailAndEmailVerification1795424400000 } from '../src/database/migrations/1795424400000-mail-and-email-verification.js';
import { usernameKey, usernameSkeleton } from '../src/users/username.js';
import { TestSmtpServer } from './support/smtp.js';
import { createTestDatabase, login, migratedBefore, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const PASSWORD = 'a sound passphrase';

/** Users as the schema stood before verification: one address in two spellings, and an IDN domain. */
const BEFORE = [
  { id: '00000000-0000-4000-8000-000000000001', username: 'first', email: 'Shared@Example.COM' },
  { id: '00000000-0000-4000-8000-000000000002', username: 'second', email: 'shared@example.com' },
  { id: '00000000-0000-4000-8000-000000000003', username: 'umlaut', email: 'kim@Bücher.example' },
  { id: '00000000-0000-4000-8000-000000000004', username: 'nomail', email: null },
];

describe('addresses stored before email verification', () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = await migratedBefore(database, MailAndEmailVerification1795424400000);
    const hash = await argon2.hash(PASSWORD);
    for (const user of BEFORE) {
      await before
        .createQueryBuilder()
        .insert()
        .into('users')
        .values({ ...user, username_key: usernameKey(user.username), username_skeleton: usernameSkeleton(user.username), hashed_password: hash })
        .execute();
    }
    await before.destroy();
    smtp = await new TestSmtpServer().start();
    service = await startApp(database, {
      DEMO_DATA: 'false',
      SMTP_URL: smtp.url,
      VERIFY_URL_TEMPLATE: 'https://app.example.com/account/confirm?token={token}&from=mail',
    });
  });

  afterAll(async () => {
    await service?.close();
    await smtp?.stop();
    await database?.drop();
  });

  const statusOf = async (username: string) => {
    const token = await login(service.http, username, PASSWORD);
    return { token, body: (await service.http.get('/users/me/email').auth(token, { type: 'bearer' }).expect(200)).body };
  };

  it('keeps every account and address, unverified, compared ignoring case and in the IDNA form of the domain', async () => {
    expect((await statusOf('first')).body).toEqual({ email: 'Shared@Example.COM', verified: false, pending_email: null });
    expect((await statusOf('second')).body).toEqual({ email: 'shared@example.com', verified: false, pending_email: null });
    expect((await statusOf('umlaut')).body).toEqual({ email: 'kim@Bücher.example', verified: false, pending_email: null });
    expect((await statusOf('nomail')).body).toEqual({ email: null, verified: false, pending_email: null });
    const keys = await service.app.get(DataSource).query('SELECT username, email_key FROM users ORDER BY id');
    expect(keys).toEqual([
      { username: 'first', email_key: 'shared@example.com' },
      { username: 'second', email_key: 'shared@example.com' },
      { username: 'umlaut', email_key: 'kim@xn--bcher-kva.example' },
      { username: 'nomail', email_key: null },
    ]);
  });

  it('mails the link VERIFY_URL_TEMPLATE makes, and verifying a shared address drops the other account’s claim', async () => {
    const { token } = await statusOf('second');
    await service.http.post('/users/me/email/verification').auth(token, { type: 'bearer' }).expect(202);
    const mail = await smtp.waitForMail('shared@example.com', 'Confirm your email address');
    expect(mail.link).toMatch(/^https:\/\/app\.example\.com\/account\/confirm\?token=[\w-]{43}&from=mail$/);
    await service.http.post('/verify-email').send({ token: mail.token }).expect(200, { message: 'Email verified' });
    expect((await statusOf('second')).body).toEqual({ email: 'shared@example.com', verified: true, pending_email: null });
    expect((await statusOf('first')).body).toEqual({ email: null, verified: false, pending_email: null });
  });
});
