// examples/spa in a real headless Chromium against the built service: the page starts the
// authorization code flow with PKCE, the user signs in on the service's hosted login page (and,
// for a client that is not first-party, allows it on the consent page), and back in the app the
// page exchanges the code at /token and reads /users/me/ across origins (CORS). Screenshots go to
// test/browser/screenshots/. The login and consent pages are also checked with axe-core.
// Needs /usr/bin/chromium (or CHROMIUM_PATH) and dist/ (`npm run build`).
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { consoleErrorsOf, describeWithBrowser, launchChromium } from '../support/browser.js';
import { freePort, startBuiltServer } from '../support/built-server.js';
import { runNode, startExampleServer } from '../support/example-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-app.js';

const EXAMPLE = join(process.cwd(), 'examples', 'spa', 'server.mjs');
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const SCREENSHOTS = join(process.cwd(), 'test', 'browser', 'screenshots');
const AXE = join(createRequire(join(process.cwd(), 'package.json')).resolve('axe-core'), '..', 'axe.min.js');

type Server = Awaited<ReturnType<typeof startBuiltServer>>;
type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
};

/** The example on 127.0.0.1:`port`, once it answers HTTP. */
function startExample(port: number, env: Record<string, string>) {
  return startExampleServer(EXAMPLE, port, env);
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

/** axe-core's violations on `page`; prints the minor and moderate ones and returns the serious and critical ones. */
async function seriousViolations(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe.run();
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
  });
  const describe = (violation: AxeViolation) =>
    `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`;
  const lesser = violations.filter((violation) => violation.impact !== 'serious' && violation.impact !== 'critical');
  console.log(`axe on the ${name}: ${violations.length} violation(s)${lesser.length ? `; not serious:\n${lesser.map(describe).join('\n')}` : ''}`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map(describe);
}

describeWithBrowser('the single-page app example (examples/spa)', () => {
  let database: TestDatabase;
  let service: Server;
  let serviceEnv: Record<string, string>;
  let browser: Browser;
  const examples: Awaited<ReturnType<typeof startExample>>[] = [];

  const cli = async (...args: string[]) => {
    const result = await runNode([CLI, '--default-node-env=development', ...args], {
      cwd: service.dir,
      env: { PATH: process.env.PATH ?? '', ...serviceEnv },
    });
    if (result.status !== 0) throw new Error(`${args[0]} failed with ${result.status}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };

  /** The example on a port of its own, for a public client registered with its redirect URI as the README says. */
  const startApp = async (firstParty: boolean) => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/`;
    const name = firstParty ? 'Notes' : 'Gadget Tracker';
    const client = JSON.parse(
      await cli('create-client', name, '--public', ...(firstParty ? ['--first-party'] : []), '--redirect-uri', redirectUri, '--scopes', 'me items', '--json'),
    ) as { client_id: string };
    const example = await startExample(port, {
      SERVICE_URL: service.base,
      CLIENT_ID: client.client_id,
    });
    examples.push(example);
    return example;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
    database = await createTestDatabase();
    serviceEnv = {
      NODE_ENV: 'development',
      DEMO_DATA: 'true',
      DATABASE_URL: database.url,
      SECRET_KEY: '0f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a',
      LOG_LEVEL: 'error',
    };
    const port = await freePort();
    service = await startBuiltServer({ ...serviceEnv, PUBLIC_URL: `http://127.0.0.1:${port}` }, { port });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(examples.map((example) => example.stop()));
    await service?.stop();
    await database?.drop();
  });

  async function signInOnLoginPage(page: Page, appName: string, shot: string): Promise<void> {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === service.base && url.pathname === '/authorize');
    await page.getByRole('heading', { name: `Sign in to ${appName}` }).waitFor();
    await screenshot(page, shot);
    await page.getByLabel('Username or email').fill('johndoe');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in through the hosted login page and shows the user from /users/me/, then signs out', async () => {
    const example = await startApp(true);
    const page = await browser.newPage();
    const consoleErrors = consoleErrorsOf(page);
    await page.goto(example.base);
    await page.getByRole('status').filter({ hasText: 'Not signed in' }).waitFor();
    await signInOnLoginPage(page, 'Notes', 'spa-login-page');
    await page.waitForURL(`${example.base}/`);
    await page.getByRole('status').filter({ hasText: 'Signed in as johndoe' }).waitFor();
    await screenshot(page, 'spa-signed-in');
    // The code and state are gone from the address bar once used.
    expect(page.url()).toBe(`${example.base}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'Not signed in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the consent page for a client that is not first-party, and Allow signs in', async () => {
    const example = await startApp(false);
    const page = await browser.newPage();
    const consoleErrors = consoleErrorsOf(page);
    await page.goto(example.base);
    await signInOnLoginPage(page, 'Gadget Tracker', 'spa-login-page-third-party');
    await page
      .getByRole('heading', {
        name: 'Allow Gadget Tracker to use your account?',
      })
      .waitFor();
    await screenshot(page, 'spa-consent-page');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${example.base}/`);
    await page.getByRole('status').filter({ hasText: 'Signed in as johndoe' }).waitFor();
    await screenshot(page, 'spa-signed-in-after-consent');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('has no serious or critical axe-core violation on the login page, the consent page or the app', async () => {
    const example = await startApp(false);
    // The service's pages allow only their own scripts; axe is injected past that policy here.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(example.base);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const serious = {
      app: await seriousViolations(page, 'app'),
      login: [] as string[],
      consent: [] as string[],
    };
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in to Gadget Tracker' }).waitFor();
    serious.login = await seriousViolations(page, 'login page');
    await page.getByLabel('Username or email').fill('johndoe');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('heading', {
        name: 'Allow Gadget Tracker to use your account?',
      })
      .waitFor();
    serious.consent = await seriousViolations(page, 'consent page');
    expect(serious).toEqual({ app: [], login: [], consent: [] });
    await context.close();
  });
});
