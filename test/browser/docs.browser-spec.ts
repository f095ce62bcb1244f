// Swagger UI and ReDoc in a real headless Chromium, used as a person would: Authorize with the
// password flow, then "Try it out". Needs /usr/bin/chromium (or CHROMIUM_PATH); in CI it must be there.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from '../support/test-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required in CI but ${CHROMIUM} is missing`);
if (!available) console.warn(`Skipping the browser suite: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const describeWithBrowser = available ? describe : describe.skip;

/** Screenshots of each step, kept as CI artifacts. */
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

describeWithBrowser('the docs in a browser', () => {
  let database: TestDatabase;
  let service: TestApp;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let requested: string[];
  let consoleErrors: string[];

  const snap = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    database = await createTestDatabase();
    service = await startApp(database);
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    origin = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
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
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
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

    const operation = page.locator('#operations-users-readMe');
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();
    const body = operation.locator('.live-responses-table .response-col_description pre').first();
    await body.waitFor();
    expect(JSON.parse(await body.innerText())).toEqual({
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

  it('renders ReDoc, loading nothing from another origin', async () => {
    const loaded: string[] = [];
    page.on('response', (response) => loaded.push(response.url()));
    await page.goto(`${origin}/redoc`);
    await page.getByText('OAuth2 password-flow service').first().waitFor();
    await page.getByText('/users/me').first().waitFor({ state: 'attached' });
    // ReDoc's footer asks for its vendor's logo; the page's Content-Security-Policy blocks it.
    expect(loaded.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
  });
});
