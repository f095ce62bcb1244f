// Swagger UI and ReDoc in a real headless Chromium, used as a person would: Authorize with the
// password flow, then "Try it out"; and both pages opened as from another machine, over plain HTTP.
// Needs /usr/bin/chromium (or CHROMIUM_PATH); in CI it must be there.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, describeWithBrowser, tryItOut } from '../support/browser.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from '../support/test-app.js';

/**
 * A name the browser resolves to the test server: an origin that is neither HTTPS nor loopback, so
 * not a secure context, as the docs are when opened from another machine (`http://host:8000/docs`).
 */
const REMOTE_HOST = 'docs.example.test';

/** Screenshots of each step, kept as CI artifacts. */
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

describeWithBrowser('the docs in a browser', () => {
  let database: TestDatabase;
  let service: TestApp;
  let origin: string;
  let remoteOrigin: string;
  let browser: Browser;
  let page: Page;
  let requested: string[];
  let consoleErrors: string[];
  let consoleWarnings: string[];
  let failed: string[];

  const snap = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    database = await createTestDatabase();
    service = await startApp(database);
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    origin = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
    remoteOrigin = `http://${REMOTE_HOST}:${new URL(origin).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--host-resolver-rules=MAP ${REMOTE_HOST} 127.0.0.1`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    requested = [];
    consoleErrors = [];
    consoleWarnings = [];
    failed = [];
    page.on('request', (request) => requested.push(request.url()));
    // Chromium's own complaints (a blocked load, a header it ignores) arrive on the console too.
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
      if (message.type() === 'warning') consoleWarnings.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  });

  afterEach(async () => {
    await page.close();
  });

  const openAuthorize = async () => {
    await page.goto(`${origin}/docs`);
    await page.locator('button.authorize').first().click();
    await page.locator('#oauth_username').waitFor();
  };

  it('logs in through Swagger UI\'s Authorize dialog with chosen scopes, "Try it out" on /users/me answers John Doe, then logs out', async () => {
    await openAuthorize();
    await page.locator('#oauth_username').fill('johndoe');
    await page.locator('#oauth_password').fill('secret');
    // The scope descriptions come from the document; choose "me" and "items".
    await page.getByText('Read and change your own account').first().waitFor();
    for (const scope of ['me', 'items']) {
      // The checkbox itself is hidden behind its styled label, which is what a person clicks.
      await page.locator(`label[for="${scope}-password-checkbox-OAuth2PasswordBearer"]`).first().click();
      expect(await page.locator(`#${scope}-password-checkbox-OAuth2PasswordBearer`).isChecked()).toBe(true);
    }
    await snap('1-authorize-dialog');
    const login = page.waitForResponse((response) => response.url() === `${origin}/token`);
    await page.locator('.auth-container button.authorize').first().click();
    const loginResponse = await login;
    expect(loginResponse.status()).toBe(200);
    expect(new URLSearchParams(loginResponse.request().postData() ?? '').get('scope')?.split(' ').sort()).toEqual(['items', 'me']);
    await page.locator('.auth-container button', { hasText: 'Logout' }).first().waitFor();
    await snap('2-authorized');
    await page.locator('button.btn-done').first().click();

    expect(await tryItOut(page, 'users-readMe')).toEqual({
      username: 'johndoe',
      email: 'johndoe@example.com',
      full_name: 'John Doe',
      disabled: false,
    });
    await snap('3-try-it-out-users-me');

    // Log out: the next call goes without a token and answers 401.
    await page.locator('button.authorize').first().click();
    await page.locator('.auth-container button', { hasText: 'Logout' }).first().click();
    await page.locator('#oauth_username').waitFor();
    await page.locator('button.btn-done').first().click();
    const operation = page.locator('#operations-users-readMe');
    await operation.locator('button.execute').click();
    await operation.locator('.live-responses-table .response .response-col_status', { hasText: '401' }).first().waitFor();
    await snap('4-logged-out-401');

    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(consoleErrors.filter((text) => !text.includes('401'))).toEqual([]);
  });

  it('shows the error of a wrong password in the Authorize dialog', async () => {
    await openAuthorize();
    await page.locator('#oauth_username').fill('johndoe');
    await page.locator('#oauth_password').fill('not-the-password');
    const login = page.waitForResponse((response) => response.url() === `${origin}/token`);
    await page.locator('.auth-container button.authorize').first().click();
    expect((await login).status()).toBe(401);
    await page.locator('.auth-container .errors').first().waitFor();
    expect(await page.locator('.auth-container .errors').first().innerText()).toMatch(/Incorrect username or password|Unauthorized/);
    await snap('5-wrong-password');
  });

  /** The icon the page names (or the one a browser asks for by habit), fetched by the page. */
  const pageIcon = async () => {
    const links = page.locator('link[rel~="icon"]');
    const href = (await links.count()) > 0 ? await links.first().getAttribute('href') : null;
    const answer = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type') };
    }, href ?? '/favicon.ico');
    return { href, ...answer };
  };

  describe.each([
    ['on this machine', () => origin],
    ['from another machine, over plain HTTP', () => remoteOrigin],
  ])('opened %s', (_where, originOf) => {
    /** Waits for what a reader sees; a page that never renders fails with what Chromium said, not a bare timeout. */
    const expectRendered = async (...shown: Locator[]) => {
      for (const locator of shown) {
        try {
          await locator.waitFor({ timeout: 15_000 });
        } catch {
          throw new Error(`${locator} never showed; what Chromium said: ${JSON.stringify({ consoleErrors, failed }, null, 2)}`);
        }
      }
    };

    /** Nothing but this origin was asked for, nothing failed, and Chromium had nothing to complain about. */
    const expectAQuietPage = async (at: string) => {
      await page.waitForLoadState('networkidle');
      expect(requested.filter((url) => !url.startsWith(`${at}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
      expect(failed).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(consoleWarnings).toEqual([]);
    };

    it('Swagger UI shows the operations and the Authorize button, with its icon', async () => {
      const at = originOf();
      await page.goto(`${at}/docs`);
      await expectRendered(page.locator('#operations-users-readMe'), page.locator('button.authorize').first());
      // Loopback is a secure context even over HTTP; the other name is not, as another machine is not.
      expect(await page.evaluate('isSecureContext')).toBe(at === origin);
      expect(await pageIcon()).toEqual({ href: '/favicon.ico', status: 200, type: 'image/x-icon' });
      await snap(`6-swagger-ui-${new URL(at).hostname}`);
      await expectAQuietPage(at);
    });

    it('ReDoc shows the API and its operations, with its icon', async () => {
      const at = originOf();
      await page.goto(`${at}/redoc`);
      await expectRendered(
        page.getByRole('heading', { name: /OAuth2 password-flow service/ }),
        page.getByRole('heading', { name: 'The account the token belongs to' }),
      );
      expect(await pageIcon()).toEqual({ href: '/favicon.ico', status: 200, type: 'image/x-icon' });
      await snap(`7-redoc-${new URL(at).hostname}`);
      await expectAQuietPage(at);
    });
  });
});
