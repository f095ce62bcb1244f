// The validation rules of each account field, without their OpenAPI description (fields.ts adds
// it): what the admin CLI checks its input with, so that it need not load @nestjs/swagger.
import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { PASSWORD_POLICY_RULE, passwordWeakness } from '../../password/password-policy.js';
import { usernameProblem } from '../username.js';

export const USERNAME_PATTERN = '^[\\p{L}\\p{N}_.-]+$';
const USERNAME_REGEXP = new RegExp(USERNAME_PATTERN, 'u');
/** The rule that holds new names to UTS #39's "Highly Restrictive" level and more (username.ts). */
export const USERNAME_RULE = 'usernameRules';
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 64;
export const PASSWORD_MIN_LENGTH = 8;
/** Longer passwords are refused before hashing, so nobody makes the server hash a megabyte. */
export const PASSWORD_MAX_LENGTH = 1024;
export const EMAIL_MAX_LENGTH = 320;
export const FULL_NAME_MAX_LENGTH = 255;

export const UsernameRules = () =>
  applyDecorators(
    IsDefined(),
    IsString(),
    MinLength(USERNAME_MIN_LENGTH),
    MaxLength(USERNAME_MAX_LENGTH),
    Matches(USERNAME_REGEXP, { context: { pattern: USERNAME_PATTERN } }),
    ValidateBy({
      name: USERNAME_RULE,
      validator: {
        // An over-long name is MaxLength's to refuse, and is never normalised (NFKC can make a
        // character 18): class-validator runs every rule, whichever fails first. So is a name of
        // the wrong characters, which the pattern refuses.
        validate: (value: unknown) =>
          typeof value !== 'string' || value.length > USERNAME_MAX_LENGTH || !USERNAME_REGEXP.test(value) || !usernameProblem(value),
        defaultMessage: (args) => usernameProblem(String(args?.value)) ?? 'invalid username',
      },
    }),
  );

/**
 * A new password's rules. Common, all-whitespace and one-character passwords are refused here; one
 * containing the username is refused by UsersService, which knows the name (password-policy.ts).
 */
export const PasswordRules = (required: boolean) =>
  applyDecorators(
    required ? IsDefined() : IsOptional(),
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH),
    MaxLength(PASSWORD_MAX_LENGTH),
    ValidateBy({
      name: PASSWORD_POLICY_RULE,
      validator: {
        // A password of the wrong length is the length rules' to refuse (and is never looked up).
        validate: (value: unknown) =>
          typeof value !== 'string' || value.length < PASSWORD_MIN_LENGTH || value.length > PASSWORD_MAX_LENGTH || !passwordWeakness(value),
        defaultMessage: (args) => passwordWeakness(String(args?.value))?.msg ?? 'weak password',
      },
    }),
  );

/** Addresses such as `Stanley.Jobson@localhost` are valid. */
export const EmailRules = () => applyDecorators(IsOptional(), IsEmail({ require_tld: false }), MaxLength(EMAIL_MAX_LENGTH));

export const FullNameRules = () => applyDecorators(IsOptional(), IsString(), MaxLength(FULL_NAME_MAX_LENGTH));
