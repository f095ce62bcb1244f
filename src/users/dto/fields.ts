// The rules of each account field, written once and used by every request shape that has it.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const USERNAME_PATTERN = '^[\\p{L}\\p{N}_.-]+$';
export const PASSWORD_MIN_LENGTH = 8;
/** Longer passwords are refused before hashing, so nobody makes the server hash a megabyte. */
export const PASSWORD_MAX_LENGTH = 1024;

export const UsernameField = () =>
  applyDecorators(
    ApiProperty({ minLength: 3, maxLength: 64, pattern: USERNAME_PATTERN, example: 'janedoe' }),
    IsDefined(),
    IsString(),
    MinLength(3),
    MaxLength(64),
    Matches(new RegExp(USERNAME_PATTERN, 'u'), { context: { pattern: USERNAME_PATTERN } }),
  );

export const PasswordField = (options: { required: boolean; description?: string } = { required: true }) =>
  applyDecorators(
    (options.required ? ApiProperty : ApiPropertyOptional)({
      format: 'password',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: options.description,
    }),
    options.required ? IsDefined() : IsOptional(),
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH),
    MaxLength(PASSWORD_MAX_LENGTH),
  );

/** The password a user types to confirm who they are: any length up to the maximum. */
export const CurrentPasswordField = () =>
  applyDecorators(ApiProperty({ format: 'password' }), IsDefined(), IsString(), MaxLength(PASSWORD_MAX_LENGTH));

/** Optional; `null` clears it. Addresses such as `Stanley.Jobson@localhost` are valid. */
export const EmailField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: 320, example: 'jane@example.com' }),
    IsOptional(),
    IsEmail({ require_tld: false }),
    MaxLength(320),
  );

export const FullNameField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: 255, example: 'Jane Doe' }),
    IsOptional(),
    IsString(),
    MaxLength(255),
  );
