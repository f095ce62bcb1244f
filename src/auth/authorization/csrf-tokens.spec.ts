import type { AppConfig } from '../../config/app-config.js';
import { CsrfTokens } from './csrf-tokens.js';

const withKey = (secretKey: string) => new CsrfTokens({ secretKey } as AppConfig);

describe('CsrfTokens', () => {
  const tokens = withKey('a'.repeat(64));

  it('accepts the token made for the browser value', () => {
    const value = tokens.newBrowserValue();
    expect(tokens.matches(value, tokens.tokenFor(value))).toBe(true);
  });

  it("refuses another browser's token, a missing one, a missing cookie and one that is not text", () => {
    const value = tokens.newBrowserValue();
    const other = tokens.newBrowserValue();
    expect(tokens.matches(value, tokens.tokenFor(other))).toBe(false);
    expect(tokens.matches(value, undefined)).toBe(false);
    expect(tokens.matches(value, '')).toBe(false);
    expect(tokens.matches(undefined, tokens.tokenFor(value))).toBe(false);
    expect(tokens.matches(value, [tokens.tokenFor(value)])).toBe(false);
  });

  it('makes tokens no one without the secret key can make', () => {
    const value = tokens.newBrowserValue();
    expect(withKey('b'.repeat(64)).tokenFor(value)).not.toBe(tokens.tokenFor(value));
  });

  it('makes 256-bit browser values, each new', () => {
    const value = tokens.newBrowserValue();
    expect(Buffer.from(value, 'base64url')).toHaveLength(32);
    expect(tokens.newBrowserValue()).not.toBe(value);
  });
});
