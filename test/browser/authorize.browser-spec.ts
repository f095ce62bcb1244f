// GET /authorize in a real headless Chromium: the login page, the consent page, and the redirect to
// the app that answers their forms, which Chromium lets through only when the page's CSP allows the
// redirect URI in form-action. The app is a small HTTP server on another port of 127.0.0.1.
// Needs /usr/bin/chromium (or CHROMIUM_PATH); in CI it must be there.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { consoleErrorsOf, describeWithBrowser, launchChromium, tryItOut } from '../support/browser.js';
import { freePort } from '../support/built-server.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from '../support/test-app.js';

/** Screenshots of Swagger UI's sign-in, kept as CI artifacts beside the docs suite's. */
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

const ROOT = 'root1';
const ROOT_PASSWORD = 'first superuser passphrase';

describeWithBrowser('signing in for an app in a browser', () => {
  let database: TestDatabase;
  let service: TestApp;
  let app: Server;
  let redirectUri: string;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    service = await startApp(database, { PUBLIC_URL: `http://127.0.0.1:${port}`, FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    await service.app.listen({ port, host: '127.0.0.1' });
    app = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>App</title><h1>Back in the app</h1>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(app.address() as AddressInfo).port}/cb`;
    admin = (await service.http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200)).body.access_token;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await service?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    consoleErrors = consoleErrorsOf(page);
  });

  afterEach(async () => {
    await page.close();
  });

  async function register(firstParty: boolean): Promise<{ client_id: string; name: string }> {
    const body = { name: firstParty ? 'Notes' : 'Gadget Tracker', scope: 'me items', redirect_uris: [redirectUri], public: true, first_party: firstParty };
    return (await service.http.post('/clients').auth(admin, { type: 'bearer' }).send(body).expect(201)).body;
  }

  function authorizeUrl(clientId: string): string {
    const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'abc' });
    return `${service.config.publicUrl}/authorize?${query}`;
  }

  async function signIn(clientId: string): Promise<void> {
    await page.goto(authorizeUrl(clientId));
    await page.getByLabel('Username or email').fill('johndoe');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it("signs in on the login page and lands on the app's redirect URI with a code, state and iss", async () => {
    const client = await register(true);
    await signIn(client.client_id);
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(redirectUri);
    expect(landed.searchParams.get('code')).toEqual(expect.any(String));
    expect(landed.searchParams.get('state')).toBe('abc');
    expect(landed.searchParams.get('iss')).toBe(service.config.jwtIssuer);
    expect(consoleErrors).toEqual([]);
  });

  it('asks for consent for a client that is not first-party, and Deny goes back to the app as access_denied', async () => {
    const client = await register(false);
    await signIn(client.client_id);
    await page.getByRole('heading', { name: 'Allow Gadget Tracker to use your account?' }).waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    expect(consoleErrors).toEqual([]);
  });

  it("signs in from Swagger UI's Authorize with the authorization code flow, on the hosted page, and Try it out answers", async () => {
    await page.goto(`${service.config.publicUrl}/docs`);
    await page.locator('button.authorize').first().click();
    const flow = page.locator('.auth-container').filter({ hasText: 'authorizationCode' });
    await flow.waitFor();
    // The docs' own client, filled in by the page; PKCE is on.
    expect(await flow.locator('input#client_id_authorizationCode').inputValue()).toBe('client~d0c5d0c5d0c5d0c5d0c5d0c5');
    const popupOpened = page.waitForEvent('popup');
    await flow.locator('button.authorize').click();
    const popup = await popupOpened;
    await popup.getByLabel('Username or email').fill('johndoe');
    await popup.getByLabel('Password').fill('secret');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await popup.screenshot({ path: join(SCREENSHOTS, 'swagger-ui-code-flow-1-login-page.png') });
    const exchanged = page.waitForResponse((response) => response.url() === `${service.config.publicUrl}/token`);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    const exchange = await exchanged;
    expect(exchange.status()).toBe(200);
    const form = new URLSearchParams(exchange.request().postData() ?? '');
    expect([form.get('grant_type'), form.get('code_verifier')?.length]).toEqual(['authorization_code', expect.any(Number)]);
    await flow.locator('button', { hasText: 'Logout' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'swagger-ui-code-flow-2-authorized.png') });
    await page.locator('button.btn-done').first().click();
    expect(await tryItOut(page, 'users-readMe')).toMatchObject({ username: 'johndoe' });
    await page.screenshot({ path: join(SCREENSHOTS, 'swagger-ui-code-flow-3-try-it-out.png') });
    expect(consoleErrors).toEqual([]);
  });

  it('shows a wrong password in an alert on the login page', async () => {
    const client = await register(true);
    await page.goto(authorizeUrl(client.client_id));
    await page.getByLabel('Username or email').fill('johndoe');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Incorrect username or password');
  });
});
