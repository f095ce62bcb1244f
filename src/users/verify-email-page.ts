// The pages a mailed verification link opens in a browser: plain HTML, no script (the service's CSP
// allows scripts of this origin only, and these need none) and an inline style (which it allows).
// Opening the link verifies nothing: mail scanners fetch links, so the address is verified only by
// the button, a form POST back to the same address (/verify-email), which answers one of the result pages.
import { escapeHtml } from '../common/html.js';

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">',
    `<h1 style="font-size: 1.5rem">${escapeHtml(title)}</h1>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}

/** The page of the mailed link: a button that posts its token. */
export function confirmEmailPage(token: string): string {
  return page(
    'Confirm your email address',
    [
      '<p>Press the button to confirm that this email address is yours.</p>',
      '<form method="post">',
      `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
      '<button type="submit" style="font-size: 1rem; padding: 0.5rem 1rem">Confirm my email address</button>',
      '</form>',
    ].join('\n'),
  );
}

export function emailVerifiedPage(): string {
  return page('Email verified', '<p>Your email address is confirmed. You can close this page.</p>');
}

export function invalidLinkPage(): string {
  return page('This link is invalid or has expired', '<p>Ask for a new link from your account, and use the newest one you received.</p>');
}
