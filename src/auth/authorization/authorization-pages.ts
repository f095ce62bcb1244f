// The pages of GET /authorize, in the service's page shell (common/html.ts): the hosted login page,
// the consent page, and the pages that end a request. Plain forms, no script; every value escaped.
import { escapeHtml, htmlPage as page } from '../../common/html.js';
import { SCOPES } from '../scopes.js';
import { parametersOf, type AuthorizationRequest } from './authorization-request.js';

/** Where the pages' forms post. */
export const AUTHORIZE_PATH = '/authorize';
export const CONSENT_PATH = '/authorize/consent';
export const LOGOUT_PATH = '/authorize/logout';

/** The request's parameters and the CSRF token, as the hidden fields of a form. */
function hiddenFields(request: AuthorizationRequest | undefined, csrfToken: string): string[] {
  const fields = { ...(request ? parametersOf(request) : {}), csrf_token: csrfToken };
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`);
}

/** First on the page, right under the heading, so that it is read before the form. */
const alert = (problem: string | undefined): string[] => (problem ? [`<p class="problem" id="problem" role="alert">${escapeHtml(problem)}</p>`] : []);

/** The hosted login page; `problem` is why the last attempt failed. */
export function loginPage(clientName: string, request: AuthorizationRequest, csrfToken: string, problem?: string, username = ''): string {
  const describedBy = problem ? ' aria-describedby="problem"' : '';
  return page(`Sign in to ${clientName}`, [
    ...alert(problem),
    `<form method="post" action="${AUTHORIZE_PATH}">`,
    ...hiddenFields(request, csrfToken),
    '<label for="username">Username or email</label>',
    `<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="254" value="${escapeHtml(username)}"${describedBy}${username ? '' : ' autofocus'}>`,
    '<label for="password">Password</label>',
    `<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${describedBy}${username ? ' autofocus' : ''}>`,
    '<button type="submit">Sign in</button>',
    '</form>',
  ]);
}

/** Asks the signed-in user whether `clientName` may have the request's scopes. */
export function consentPage(clientName: string, username: string, request: AuthorizationRequest, csrfToken: string, problem?: string): string {
  return page(`Allow ${clientName} to use your account?`, [
    ...alert(problem),
    `<p>You are signed in as <strong>${escapeHtml(username)}</strong>. ${escapeHtml(clientName)} asks to:</p>`,
    '<ul>',
    ...request.scopes.map((scope) => `<li>${escapeHtml(SCOPES[scope])} (<code>${escapeHtml(scope)}</code>)</li>`),
    '</ul>',
    `<form method="post" action="${CONSENT_PATH}">`,
    ...hiddenFields(request, csrfToken),
    '<button type="submit" name="decision" value="allow">Allow</button>',
    '<button type="submit" name="decision" value="deny">Deny</button>',
    '</form>',
    `<form method="post" action="${LOGOUT_PATH}">`,
    ...hiddenFields(undefined, csrfToken),
    `<p>Not ${escapeHtml(username)}? <button type="submit">Sign out</button></p>`,
    '</form>',
  ]);
}

/** A request that cannot be answered to the client: no client, or a redirect URI that is not one of its own. */
export function invalidRequestPage(problem: string): string {
  return page('This sign-in request cannot be completed', [
    `<p>${escapeHtml(problem)}</p>`,
    '<p>The application that sent you here asked in a way this service does not accept, so you are not sent back to it. Return to the application and try again, or tell its makers.</p>',
  ]);
}

/** A form post without the token of a page this browser was shown. */
export function formExpiredPage(): string {
  return page('This form has expired', [
    '<p>The form was not one this browser was shown here, or it is too old. Go back to the application and start again.</p>',
  ]);
}

export function signedOutPage(): string {
  return page('You are signed out', ['<p>This browser is no longer signed in here. An application that sends you here again asks you to sign in.</p>']);
}
