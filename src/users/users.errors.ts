import { BadRequestException, ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { RequestValidationError, validationIssue } from '../common/request-validation.js';
import type { PasswordWeakness } from '../password/password-policy.js';

export const usernameTaken = () => new ConflictException({ detail: 'Username already registered' });

/** A new name whose skeleton is another user's: `аlice` (Cyrillic а) beside `alice`. */
export const usernameLookalike = () => new ConflictException({ detail: 'Username looks like one already registered' });

export const incorrectPassword = () => new BadRequestException({ detail: 'Incorrect password' });

export const userNotFound = () => new NotFoundException({ detail: 'User not found' });

export const signUpClosed = () => new ForbiddenException({ detail: 'Open user registration is forbidden on this server' });

export const cannotDeleteSelf = () =>
  new ForbiddenException({ detail: 'Super users are not allowed to delete themselves' });

export const reservedUsername = (username: string) =>
  new RequestValidationError([
    validationIssue('value_error', ['body', 'username'], 'Value error, this username is reserved', username),
  ]);

export const LAST_SUPERUSER = 'The last active superuser cannot be removed, demoted or disabled';

/** The write would leave no active (not disabled) superuser. */
export const lastSuperuser = () => new ConflictException({ detail: LAST_SUPERUSER });

/** A new password the policy refuses (password-policy.ts), in `field`; the password is never echoed. */
export const weakPassword = (weakness: PasswordWeakness, field: string) =>
  new RequestValidationError([validationIssue(weakness.type, ['body', field], weakness.msg, null)]);

/** An address another account has verified: a verified address belongs to one account. */
export const emailTaken = () => new ConflictException({ detail: 'Email already registered' });

/**
 * A mailed link's token (reset or verification) that is unknown, used, voided by a newer one or
 * expired, or whose address is no longer the user's: all answer the same.
 */
export class InvalidLinkToken extends BadRequestException {
  constructor() {
    super({ detail: 'Invalid token' });
  }
}

export const invalidToken = () => new InvalidLinkToken();

/** A request for a verification link from a user with no address, or only a verified one and nothing pending. */
export const nothingToVerify = () => new BadRequestException({ detail: 'No email address to verify' });
