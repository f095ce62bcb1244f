import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../users/dto/field-rules.js';
import { EXAMPLE_REFRESH_TOKEN } from './token-examples.js';

export const GRANT_TYPE_PATTERN = '^(password|refresh_token)$';

/**
 * The longest value of each field, checked before anything else reads it (no name is normalised,
 * looked up or counted, no password hashed, before it fits). A username may be an email address,
 * whose longest usable form is 254 characters (RFC 5321's path limit); the tutorial has no bound.
 */
export const TOKEN_FORM_MAX_LENGTH = {
  username: 254,
  password: PASSWORD_MAX_LENGTH,
  /** Space-separated scope names, of which there are three. */
  scope: 256,
  client_id: 256,
  client_secret: 1024,
  /** Refresh tokens are 43 characters. */
  refresh_token: 512,
} as const;

const isRefreshGrant = (form: TokenRequest) => form.grant_type === 'refresh_token';
/** A field the grant needs is checked whether sent or not; one it ignores, only when sent (and then bounded all the same). */
const neededForPassword = (form: TokenRequest, value: unknown) => !isRefreshGrant(form) || value !== undefined;
const neededForRefresh = (form: TokenRequest, value: unknown) => isRefreshGrant(form) || value !== undefined;

/**
 * The form of `POST /token`: the fields of FastAPI's OAuth2PasswordRequestForm, as Swagger UI sends
 * them, and RFC 6749 §6's refresh grant (`grant_type=refresh_token&refresh_token=…`).
 */
export class TokenRequest {
  @ApiPropertyOptional({ pattern: GRANT_TYPE_PATTERN, example: 'password', description: 'Omitted means password' })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(GRANT_TYPE_PATTERN), { context: { pattern: GRANT_TYPE_PATTERN } })
  grant_type?: string;

  @ApiPropertyOptional({ maxLength: TOKEN_FORM_MAX_LENGTH.username, example: 'johndoe', description: 'Required for the password grant' })
  @ValidateIf(neededForPassword)
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.username)
  username?: string;

  @ApiPropertyOptional({ maxLength: TOKEN_FORM_MAX_LENGTH.password, example: 'secret', format: 'password', description: 'Required for the password grant' })
  @ValidateIf(neededForPassword)
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.password)
  password?: string;

  @ApiPropertyOptional({
    maxLength: TOKEN_FORM_MAX_LENGTH.scope,
    default: '',
    description: 'Space-separated scopes: `me`, `items`, `admin` (superusers). Empty grants `me items`.',
    example: 'me items',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.scope)
  scope?: string;

  @ApiPropertyOptional({ maxLength: TOKEN_FORM_MAX_LENGTH.client_id, example: 'my-app' })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.client_id)
  client_id?: string;

  @ApiPropertyOptional({ maxLength: TOKEN_FORM_MAX_LENGTH.client_secret, format: 'password', example: 'my-app-secret' })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.client_secret)
  client_secret?: string;

  @ApiPropertyOptional({
    maxLength: TOKEN_FORM_MAX_LENGTH.refresh_token,
    format: 'password',
    description: 'Required for the refresh_token grant',
    example: EXAMPLE_REFRESH_TOKEN,
  })
  @ValidateIf(neededForRefresh)
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.refresh_token)
  refresh_token?: string;
}
