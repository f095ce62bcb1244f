// Email verification in a real headless Chromium, as a person does it: the link from the mail the
// service sent (to a real SMTP server), the page it opens (which verifies nothing by itself), the
// button, and the account's address verified. Needs /usr/bin/chromium (or CHROMIUM_PATH).
import type { Browser } from 'playwright-core';
import { consoleErrorsOf, describeWithBrowser, launchChromium } from '../support/browser.js';
import { freePort } from '../support/built-server.js';
import { TestSmtpServer } from '../support/smtp.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from '../support/test-app.js';

describeWithBrowser('email verification in a browser', () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let service: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    database = await createTestDatabase();
    // PUBLIC_URL names the port the mailed links point at, so the port is chosen first.
    const port = await freePort();
    service = await startApp(database, { SMTP_URL: smtp.url, PUBLIC_URL: `http://127.0.0.1:${port}` });
    await service.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await database?.drop();
    await smtp?.stop();
  });

  it('opens the mailed link, confirms with the button, and the address is verified', async () => {
    await service.http.post('/users/signup').send({ username: 'reader', password: 'a long reading list', email: 'reader@example.com' }).expect(201);
    const mail = await smtp.waitForMail('reader@example.com', 'Confirm your email address');
    const token = await login(service.http, 'reader', 'a long reading list');
    const status = () => service.http.get('/users/me/email').auth(token, { type: 'bearer' }).expect(200);

    const page = await browser.newPage();
    const consoleErrors = consoleErrorsOf(page);
    try {
      const opened = await page.goto(mail.link!);
      expect(opened?.status()).toBe(200);
      expect(await page.title()).toBe('Confirm your email address');
      // Opening the link is not confirming it.
      expect((await status()).body).toEqual({ email: 'reader@example.com', verified: false, pending_email: null });

      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Confirm my email address' }).click()]);
      await page.getByRole('heading', { name: 'Email verified' }).waitFor();
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
    expect((await status()).body).toEqual({ email: 'reader@example.com', verified: true, pending_email: null });
    // A verified address logs in wherever the username does.
    await login(service.http, 'reader@example.com', 'a long reading list');
  });
});
