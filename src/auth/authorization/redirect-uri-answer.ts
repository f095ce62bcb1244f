// The address an authorization answer is sent to: the client's redirect URI with the answer's
// parameters added to its query (RFC 6749 §4.1.2, §3.1.2: "MUST retain" the URI's own query).
import type { AuthorizationRefusal } from './authorization-request.js';

/**
 * `uri` with `parameters` (those not undefined) appended to its query, percent-encoded. The URI's
 * own characters are kept as they are, so a registered query reaches the client unchanged.
 */
export function withQueryParameters(uri: string, parameters: Record<string, string | undefined>): string {
  const added = Object.entries(parameters)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  if (added === '') return uri;
  // A registered redirect URI has no fragment (redirect-uris.ts); the query would go before one.
  const hash = uri.indexOf('#');
  const [base, fragment] = hash === -1 ? [uri, ''] : [uri.slice(0, hash), uri.slice(hash)];
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added}${fragment}`;
}

/** Where a refusal goes: `error`, `error_description`, `state` and the issuer (RFC 9207 `iss`). */
export function refusalRedirect(redirectUri: string, refusal: AuthorizationRefusal, state: string | undefined, issuer: string): string {
  return withQueryParameters(redirectUri, { error: refusal.error, error_description: refusal.description, state, iss: issuer });
}

/** Where a code goes: `code`, `state` and the issuer. */
export function codeRedirect(redirectUri: string, code: string, state: string | undefined, issuer: string): string {
  return withQueryParameters(redirectUri, { code, state, iss: issuer });
}
