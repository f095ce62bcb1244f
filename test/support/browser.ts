// Headless Chromium for the browser suites: /usr/bin/chromium (or CHROMIUM_PATH). Without it the
// suites are skipped, except in CI, where it must be there.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required in CI but ${CHROMIUM} is missing`);
if (!available) console.warn(`Skipping the browser suites: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

export const describeWithBrowser = available ? describe : describe.skip;

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', ...extraArgs],
  });
}

/** What `page` reports as errors from now on (a CSP violation is one), as it happens. */
export function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Swagger UI's Try it out of operation `id` (`tag-operationId`, as `users-readMe`): its answer's body, parsed. */
export async function tryItOut(page: Page, id: string): Promise<unknown> {
  const operation = page.locator(`#operations-${id}`);
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('button.execute').click();
  const body = operation.locator('.live-responses-table .response-col_description pre').first();
  await body.waitFor();
  return JSON.parse(await body.innerText());
}
