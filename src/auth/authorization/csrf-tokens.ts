// The CSRF tokens of the sign-in, consent and sign-out forms: a double submit bound to the browser.
// The browser holds a random value in an HttpOnly cookie; each form carries an HMAC of it under a key
// derived from SECRET_KEY. A page of another site can neither read the cookie nor compute the HMAC,
// and a SameSite=Lax cookie is not sent with its cross-site POST anyway.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';

/** Labels this use of SECRET_KEY, so that no other HMAC under it can stand in for a CSRF token. */
const KEY_LABEL = 'authorization pages: CSRF tokens';

@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = createHmac('sha256', config.secretKey).update(KEY_LABEL).digest();
  }

  /** A new value for the browser's cookie: 256 random bits. */
  newBrowserValue(): string {
    return randomBytes(32).toString('base64url');
  }

  /** The token the forms shown to the browser holding `browserValue` carry. */
  tokenFor(browserValue: string): string {
    return createHmac('sha256', this.key).update(browserValue).digest('base64url');
  }

  /** Whether `token` is the one for `browserValue`; false when either is missing or not text. */
  matches(browserValue: string | undefined, token: unknown): boolean {
    if (!browserValue || typeof token !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(browserValue));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
