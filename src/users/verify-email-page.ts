// The pages a mailed verification link opens in a browser, in the service's page shell
// (common/html.ts). Opening the link verifies nothing: mail scanners fetch links, so the address is
// verified only by the button, a form POST back to the same address (/verify-email), which answers
// one of the result pages.
import { escapeHtml, htmlPage } from '../common/html.js';

/** The page of the mailed link: a button that posts its token. */
export function confirmEmailPage(token: string): string {
  return htmlPage('Confirm your email address', [
    '<p>Press the button to confirm that this email address is yours.</p>',
    '<form method="post">',
    `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
    '<button type="submit">Confirm my email address</button>',
    '</form>',
  ]);
}

export function emailVerifiedPage(): string {
  return htmlPage('Email verified', ['<p>Your email address is confirmed. You can close this page.</p>']);
}

export function invalidLinkPage(): string {
  return htmlPage('This link is invalid or has expired', ['<p>Ask for a new link from your account, and use the newest one you received.</p>']);
}
