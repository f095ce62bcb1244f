// RFC 7636: Proof Key for Code Exchange, S256 only (the plain method proves nothing an eavesdropper
// of the authorization request does not also learn, and RFC 9700 §2.1.1 says to use S256).
import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43 to 128 unreserved characters, for the verifier and (§4.2) its S256 challenge alike. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether a challenge has the form of one (S256 gives 43 characters; RFC 7636 allows up to 128). */
export function isCodeChallenge(value: string): boolean {
  return VERIFIER.test(value);
}

/** Whether `verifier` is well formed and its S256 challenge is `challenge` (RFC 7636 §4.6). */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const expected = Buffer.from(challenge, 'utf8');
  const actual = Buffer.from(s256Challenge(verifier), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
