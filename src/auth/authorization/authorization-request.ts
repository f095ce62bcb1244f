// The parameters of an authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636), checked in the
// order that decides where a refusal goes: who the client is and where answers go come first, and a
// problem there is shown to the person in the browser, never redirected (RFC 6749 §4.1.2.1); every
// later problem is redirected back to the client.
import { SCOPES, type Scope } from '../scopes.js';

/** The query of `GET /authorize`, or the hidden fields of the pages' forms that carry it. */
export type AuthorizationParameters = Record<string, unknown>;

/** Every parameter the service reads; the pages carry exactly these from one step to the next. */
export const AUTHORIZATION_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

/** RFC 7636 §4.1: 43 to 128 characters of the unreserved set; S256's base64url digest is 43. */
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** The RFC 6749 §4.1.2.1 error codes this service redirects with. */
export type AuthorizationErrorCode = 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied';

export interface AuthorizationRefusal {
  error: AuthorizationErrorCode;
  description: string;
}

/** A request whose every parameter passed: what the pages show and what a code is issued for. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: Scope[];
  /** As the client sent it, returned verbatim. */
  state: string | undefined;
}

const REPEATED = Symbol('repeated');

/**
 * The parameter's single value; undefined when absent or empty (RFC 6749 §3.1: "sent without a
 * value MUST be treated as if they were omitted"); REPEATED when it came more than once or is not
 * text.
 */
function valueOf(parameters: AuthorizationParameters, name: string): string | undefined | typeof REPEATED {
  const value = parameters[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return REPEATED;
  return value;
}

/**
 * The client and redirect URI the request names, or why the person in the browser must be told
 * instead (a missing or repeated `client_id` or `redirect_uri`). Whether the client exists and the
 * URI is one of its registered ones is for the caller, which reads the client.
 */
export function clientAndRedirectUri(parameters: AuthorizationParameters): { clientId: string; redirectUri: string } | { problem: string } {
  const clientId = valueOf(parameters, 'client_id');
  if (clientId === undefined) return { problem: 'The request names no client (client_id is missing).' };
  if (clientId === REPEATED) return { problem: 'The request names more than one client (client_id is repeated).' };
  const redirectUri = valueOf(parameters, 'redirect_uri');
  if (redirectUri === undefined) return { problem: 'The request does not say where to return (redirect_uri is missing).' };
  if (redirectUri === REPEATED) return { problem: 'The request names more than one return address (redirect_uri is repeated).' };
  return { clientId, redirectUri };
}

/**
 * The state to return with a refusal: the client's own value, unless it came more than once, in
 * which case there is no one value to return.
 */
export function stateOf(parameters: AuthorizationParameters): string | undefined {
  const state = valueOf(parameters, 'state');
  return state === REPEATED ? undefined : state;
}

const refuse = (error: AuthorizationErrorCode, description: string): { refusal: AuthorizationRefusal } => ({ refusal: { error, description } });

/**
 * The rest of the request, for a client whose id and redirect URI have passed: the refusal to
 * redirect with, or the request. `registeredScopes` are the client's: none asked for means all of
 * them, and asking for any other is `invalid_scope`. Every client must use PKCE with S256 (RFC 9700
 * §2.1.1); a request without `code_challenge_method` means `plain` (RFC 7636 §4.3), which is refused.
 */
export function checkAuthorizationRequest(
  parameters: AuthorizationParameters,
  client: { clientId: string; redirectUri: string },
  registeredScopes: readonly Scope[],
): { request: AuthorizationRequest } | { refusal: AuthorizationRefusal } {
  const repeated = AUTHORIZATION_PARAMETERS.find((name) => valueOf(parameters, name) === REPEATED);
  if (repeated) return refuse('invalid_request', `The parameter ${repeated} is repeated`);
  const value = (name: string) => valueOf(parameters, name) as string | undefined;

  const responseType = value('response_type');
  if (responseType === undefined) return refuse('invalid_request', 'response_type is missing');
  if (responseType !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported');

  const codeChallenge = value('code_challenge');
  if (codeChallenge === undefined) return refuse('invalid_request', 'code_challenge is required (PKCE with S256, RFC 7636)');
  if (!CODE_CHALLENGE.test(codeChallenge)) return refuse('invalid_request', 'code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" and "~"');
  const method = value('code_challenge_method');
  if (method !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256; plain is not accepted');

  const requested = (value('scope') ?? '').split(' ').filter((name) => name !== '');
  const refused = requested.find((name) => !(registeredScopes as readonly string[]).includes(name) || !(name in SCOPES));
  if (refused !== undefined) return refuse('invalid_scope', `Scope not allowed for this client: ${refused}`);
  const wanted = requested.length === 0 ? registeredScopes : requested;
  const scopes = (Object.keys(SCOPES) as Scope[]).filter((scope) => wanted.includes(scope));
  if (scopes.length === 0) return refuse('invalid_scope', 'The client is registered for no scope');

  return { request: { clientId: client.clientId, redirectUri: client.redirectUri, codeChallenge, scopes, state: value('state') } };
}

/** The request again as parameters: the hidden fields of a page's form, so that the next step sees what this one saw. */
export function parametersOf(request: AuthorizationRequest): Record<(typeof AUTHORIZATION_PARAMETERS)[number], string | undefined> {
  return {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  };
}
