// The pages a mailed reset link opens when no front end of its own is configured
// (RESET_URL_TEMPLATE), in the service's page shell (common/html.ts), with a form that posts back to
// the address it was opened at.
import { escapeHtml, htmlPage as page } from '../common/html.js';

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
