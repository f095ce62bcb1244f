// The pages a mailed reset link opens when no front end of its own is configured
// (RESET_URL_TEMPLATE): plain server-rendered HTML, every value escaped, no script (the CSP allows
// only this origin's script files, and these pages need none) and a form that posts back to the
// address it was opened at.
import { escapeHtml } from '../common/html.js';

const STYLE = [
  'body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; }',
  'label { display: block; margin-top: 1rem; }',
  'input { display: block; width: 100%; box-sizing: border-box; padding: 0.4rem; font: inherit; }',
  'button { margin-top: 1.25rem; padding: 0.5rem 1rem; font: inherit; }',
  '.problem { color: #a40000; }',
].join('\n');

function page(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The form for a new password; `problem` is why the last one was refused. */
export function resetFormPage(token: string, problem?: string): string {
  return page('Choose a new password', [
    ...(problem ? [`<p class="problem" role="alert">${escapeHtml(problem)}</p>`] : []),
    '<form method="post">',
    `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
    '<label for="new_password">New password</label>',
    '<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024">',
    '<label for="confirm_password">New password, again</label>',
    '<input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024">',
    '<button type="submit">Change password</button>',
    '</form>',
  ]);
}

export function resetDonePage(): string {
  return page('Your password has been changed', [
    '<p>You can now log in with your new password. Every session signed in before has been signed out.</p>',
  ]);
}

export function invalidLinkPage(): string {
  return page('This link is invalid or has expired', [
    '<p>A reset link works once, for a limited time, and only the newest one sent works. Ask for a new one where you asked for this one.</p>',
  ]);
}
