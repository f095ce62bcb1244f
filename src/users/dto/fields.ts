// The rules of each account field, written once and used by every request shape that has it: the
// OpenAPI description here, the validation rules in field-rules.ts.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import {
  EMAIL_MAX_LENGTH,
  EmailRules,
  FULL_NAME_MAX_LENGTH,
  FullNameRules,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordRules,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
  UsernameRules,
} from './field-rules.js';

export const UsernameField = () =>
  applyDecorators(
    ApiProperty({ minLength: USERNAME_MIN_LENGTH, maxLength: USERNAME_MAX_LENGTH, pattern: USERNAME_PATTERN, example: 'janedoe' }),
    UsernameRules(),
  );

export const PasswordField = (options: { required: boolean; description?: string } = { required: true }) =>
  applyDecorators(
    (options.required ? ApiProperty : ApiPropertyOptional)({
      format: 'password',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: options.description,
      example: 'correct horse',
    }),
    PasswordRules(options.required),
  );

/** The password a user types to confirm who they are: any length up to the maximum. */
export const CurrentPasswordField = () =>
  applyDecorators(ApiProperty({ format: 'password', example: 'secret' }), IsDefined(), IsString(), MaxLength(PASSWORD_MAX_LENGTH));

/** Optional; `null` clears it. */
export const EmailField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'jane@example.com' }),
    EmailRules(),
  );

export const FullNameField = () =>
  applyDecorators(ApiPropertyOptional({ type: String, nullable: true, maxLength: FULL_NAME_MAX_LENGTH, example: 'Jane Doe' }), FullNameRules());
