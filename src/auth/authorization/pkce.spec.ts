import { isCodeChallenge, s256Challenge, verifierMatches } from './pkce.js';

// RFC 7636 appendix B: the example verifier and its S256 challenge.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE (RFC 7636, S256)', () => {
  it("computes appendix B's challenge from its verifier", () => {
    expect(s256Challenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it('accepts the verifier of a challenge, and no other', () => {
    expect(verifierMatches(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
    expect(verifierMatches(`${RFC_VERIFIER.slice(0, -1)}l`, RFC_CHALLENGE)).toBe(false);
    // The plain method: the challenge sent as the verifier.
    expect(verifierMatches(RFC_CHALLENGE, RFC_CHALLENGE)).toBe(false);
  });

  it('refuses a verifier shorter than 43 or longer than 128 characters, or with other characters', () => {
    for (const verifier of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)} `]) {
      expect(verifierMatches(verifier, s256Challenge(verifier))).toBe(false);
    }
    expect(verifierMatches('a'.repeat(43), s256Challenge('a'.repeat(43)))).toBe(true);
    expect(verifierMatches('~'.repeat(128), s256Challenge('~'.repeat(128)))).toBe(true);
  });

  it('tells a challenge by its form', () => {
    expect(isCodeChallenge(RFC_CHALLENGE)).toBe(true);
    expect(isCodeChallenge('short')).toBe(false);
    expect(isCodeChallenge(`${RFC_CHALLENGE}=`)).toBe(false);
  });
});
