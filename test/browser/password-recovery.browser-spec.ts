// Password recovery in a real headless Chromium, as a person does it: the link from the mail the
// service sent (to a real SMTP server), the reset page, the form, and a login with the new password.
// Needs /usr/bin/chromium (or CHROMIUM_PATH); in CI it must be there.
import type { Browser, Page } from 'playwright-core';
import { consoleErrorsOf, describeWithBrowser, launchChromium } from '../support/browser.js';
import { freePort } from '../support/built-server.js';
import { TestSmtpServer } from '../support/smtp.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from '../support/test-app.js';

describeWithBrowser('password recovery in a browser', () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let service: TestApp;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

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

  beforeEach(async () => {
    page = await browser.newPage();
    consoleErrors = consoleErrorsOf(page);
  });

  afterEach(async () => {
    await page.close();
  });

  it('opens the mailed link, sets a new password through the form, and the new password logs in', async () => {
    await service.http.post('/users/signup').send({ username: 'browser-user', password: 'first long password', email: 'browser-user@example.com' }).expect(201);
    await service.http.post('/password-recovery/browser-user@example.com').expect(200);
    const mail = await smtp.waitForMail('browser-user@example.com', 'Reset your password');

    const opened = await page.goto(mail.link!);
    expect(opened?.status()).toBe(200);
    expect(await page.title()).toBe('Choose a new password');
    await page.getByLabel('New password', { exact: true }).fill('second long password');
    await page.getByLabel('New password, again').fill('second long password');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Change password' }).click()]);
    await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();

    expect(consoleErrors).toEqual([]);
    await login(service.http, 'browser-user', 'second long password');
    await service.http.post('/token').type('form').send({ username: 'browser-user', password: 'first long password' }).expect(401);
  });

  it('shows the policy\'s reason and the form again for a weak password, and the link still works', async () => {
    await service.http.post('/users/signup').send({ username: 'browser-user2', password: 'first long password', email: 'browser-user2@example.com' }).expect(201);
    await service.http.post('/password-recovery/browser-user2@example.com').expect(200);
    const mail = await smtp.waitForMail('browser-user2@example.com', 'Reset your password');

    await page.goto(mail.link!);
    await page.getByLabel('New password', { exact: true }).fill('my browser-user2 password');
    await page.getByLabel('New password, again').fill('my browser-user2 password');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Change password' }).click()]);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/username/);

    await page.getByLabel('New password', { exact: true }).fill('second long password');
    await page.getByLabel('New password, again').fill('second long password');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Change password' }).click()]);
    await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();
    // Chromium reports the refused form's 422 on the console; nothing else may be there.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await login(service.http, 'browser-user2', 'second long password');
  });
});
