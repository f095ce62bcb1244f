// The Content-Security-Policy of the sign-in and consent pages. The service's policy lets forms post
// only to itself (`form-action 'self'`), but Chromium also checks form-action against the redirect
// that answers a form's POST: the redirect to the client would be blocked. These pages' policy is the
// service's own, with the one destination of that redirect added.

/**
 * The CSP source that allows a redirect to `redirectUri`: its origin for http and https, its scheme
 * for a native app's private-use scheme (`com.example.app:`). CSP host sources cannot name an IPv6
 * literal, so an `http://[::1]` redirect URI is allowed by its scheme.
 */
export function formActionSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.protocol;
  if (url.hostname.startsWith('[')) return url.protocol;
  return url.origin;
}

/** `policy` with its form-action directive allowing 'self' and `redirectUri`; every other directive as it was. */
export function withFormAction(policy: string, redirectUri: string): string {
  const formAction = `form-action 'self' ${formActionSource(redirectUri)}`;
  const directives = policy.split(';').map((directive) => directive.trim()).filter((directive) => directive !== '');
  const index = directives.findIndex((directive) => directive.split(/\s+/)[0].toLowerCase() === 'form-action');
  if (index === -1) directives.push(formAction);
  else directives[index] = formAction;
  return directives.join(';');
}
