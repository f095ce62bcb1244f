// The answers of the tutorial's security dependencies, word for word.
import { BadRequestException, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';

export const notAuthenticated = () => new UnauthorizedException({ detail: 'Not authenticated' });

export const invalidCredentials = () => new UnauthorizedException({ detail: 'Could not validate credentials' });

export const incorrectUsernameOrPassword = () =>
  new UnauthorizedException({ detail: 'Incorrect username or password' });

export const inactiveUser = () => new BadRequestException({ detail: 'Inactive user' });

/** Thrown by token checks; the guard turns it into "Could not validate credentials". */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export const notEnoughPrivileges = () => new ForbiddenException({ detail: "The user doesn't have enough privileges" });

/** A client_credentials token at a route that acts for a user: every bearer route does. */
export const clientTokenRefused = () =>
  new ForbiddenException({ detail: "This token is an OAuth2 client's, not a user's: this route needs a user's token" });

/** RFC 6750 §3.1: the token lacks a scope the route needs. */
export const insufficientScope = (scopes: string[]) =>
  new HttpErrorWithHeaders(
    403,
    { detail: 'Not enough permissions' },
    { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"` },
  );

/** RFC 6749 §5.2 `invalid_request`. */
export const invalidRequest = (detail: string) => new BadRequestException({ detail, error: 'invalid_request' });

export const tokenToRevokeMissing = () => invalidRequest('The token to revoke is missing');

/** REQUIRE_VERIFIED_EMAIL is on and the user has no verified address (told only after the right password). */
export const emailNotVerified = () => new BadRequestException({ detail: 'Email not verified' });
