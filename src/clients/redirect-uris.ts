// Which redirect URIs a client may register, and whether a presented one is a registered one. A
// redirect URI is where an authorization server sends codes and tokens: a loose rule here is an open
// redirect that hands them to someone else (RFC 9700 §4.1). So registration keeps
// to a few unambiguous forms, and matching compares strings exactly.

/** Longer URIs are refused: no browser or app needs one, and each is stored and compared. */
export const REDIRECT_URI_MAX_LENGTH = 2000;

/** RFC 8252 §7.3 and §8.3: the loopback hosts a native app may listen on over plain http. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * RFC 8252 §7.1: a native app's private-use scheme, a reverse domain name such as
 * `com.example.app`. Lowercase, as WHATWG URL serialises schemes.
 */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** Schemes that run or read something where they are opened instead of delivering a response. */
const DANGEROUS_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:']);

/**
 * Why `uri` cannot be registered as a redirect URI, as a sentence; undefined when it can. Allowed:
 * `https:`, `http:` on a loopback host, and private-use schemes of native apps; always absolute,
 * without fragment, userinfo or wildcard, and written as WHATWG URL serialises it, so that the
 * string stored is the string a browser or an app will present.
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > REDIRECT_URI_MAX_LENGTH) return `A redirect URI may have at most ${REDIRECT_URI_MAX_LENGTH} characters`;
  if (uri.includes('*')) return 'A redirect URI may not contain a wildcard (*): each one is registered in full';
  // RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component", not even an empty one.
  if (uri.includes('#')) return 'A redirect URI may not have a fragment (RFC 6749 §3.1.2)';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'A redirect URI must be an absolute URI (RFC 6749 §3.1.2), such as https://app.example/callback';
  }
  if (DANGEROUS_SCHEMES.has(url.protocol)) return `A redirect URI may not use the ${url.protocol} scheme`;
  if (url.username !== '' || url.password !== '') return 'A redirect URI may not contain a user name or password';
  if (url.href !== uri) return `A redirect URI must be written in its normal form, here ${url.href}`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : 'A redirect URI may use http only on a loopback host: 127.0.0.1, [::1] or localhost (RFC 8252 §7.3); use https';
  }
  if (PRIVATE_USE_SCHEME.test(url.protocol)) return undefined;
  return `A redirect URI may not use the ${url.protocol} scheme: use https, http on a loopback host, or a reverse domain name scheme such as com.example.app: (RFC 8252 §7.1)`;
}

/**
 * A registered `http://127.0.0.1…` or `http://[::1]…` URI, split around its port: RFC 8252 §7.3
 * lets a native app listen on whatever port the system gives it at the time of the request.
 * `localhost` is not one of them: it may resolve elsewhere (RFC 8252 §8.3), so it gets no exception.
 */
const LOOPBACK_IP_URI = /^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::([1-9][0-9]{0,4}))?(\/.*)$/s;

/**
 * Whether `presented` is one of the `registered` redirect URIs. Strings are compared exactly: no
 * normalisation, no case folding, no prefix (RFC 9700 §4.1.3, RFC 6749 §3.1.2.3). The one exception
 * is the port of a loopback IP registration (RFC 8252 §7.3); its scheme, host, path and query still
 * have to be equal.
 */
export function matchesRegisteredRedirectUri(registered: readonly string[], presented: string): boolean {
  return registered.some((uri) => uri === presented || sameButForLoopbackPort(uri, presented));
}

function sameButForLoopbackPort(registered: string, presented: string): boolean {
  const ours = LOOPBACK_IP_URI.exec(registered);
  if (!ours) return false;
  const theirs = LOOPBACK_IP_URI.exec(presented);
  if (!theirs || (theirs[2] !== undefined && Number(theirs[2]) > 65535)) return false;
  return theirs[1] === ours[1] && theirs[3] === ours[3];
}
