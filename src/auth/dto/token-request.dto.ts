import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../users/dto/field-rules.js';
import { EXAMPLE_REFRESH_TOKEN } from './token-examples.js';

export const GRANT_TYPE_PATTERN = '^(password|refresh_token|client_credentials|authorization_code)$';

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
  /** Authorization codes are 43 characters. */
  code: 512,
  /** As long as a registered redirect URI may be (src/clients/redirect-uris.ts). */
  redirect_uri: 2000,
  /** RFC 7636 §4.1. */
  code_verifier: 128,
} as const;

const isRefreshGrant = (form: TokenRequest) => form.grant_type === 'refresh_token';
/** Any grant_type but these needs a password (an unknown one is refused beside its missing fields). */
const needsPassword = (form: TokenRequest) =>
  !isRefreshGrant(form) && form.grant_type !== 'client_credentials' && form.grant_type !== 'authorization_code';
/** A field the grant needs is checked whether sent or not; one it ignores, only when sent (and then bounded all the same). */
const neededForPassword = (form: TokenRequest, value: unknown) => needsPassword(form) || value !== undefined;
const neededForRefresh = (form: TokenRequest, value: unknown) => isRefreshGrant(form) || value !== undefined;

/**
 * The form of `POST /token`: the fields of FastAPI's OAuth2PasswordRequestForm, as Swagger UI sends
 * them, RFC 6749 §6's refresh grant (`grant_type=refresh_token&refresh_token=…`) and §4.4's client
 * credentials grant (`grant_type=client_credentials`, the client authenticated by HTTP Basic or by
 * `client_id` and `client_secret`).
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

  @ApiPropertyOptional({
    maxLength: TOKEN_FORM_MAX_LENGTH.client_id,
    example: 'client~3f9a1c0e7b2d4a6f8e1c5b09',
    description: 'A registered client (or HTTP Basic instead): required for client_credentials; with the password grant, ignored unless registered',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.client_id)
  client_id?: string;

  @ApiPropertyOptional({ maxLength: TOKEN_FORM_MAX_LENGTH.client_secret, format: 'password', example: 'q8Z2vLx0cN4mT7rYb1HsKfW3uJ9eP6aD5gV0iQ2oS4E' })
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

  // The authorization_code grant's fields (RFC 6749 §4.1.3, RFC 7636 §4.5). A missing one is that
  // grant's 400 invalid_request (RFC 6749 §5.2), not a 422.
  @ApiPropertyOptional({ maxLength: TOKEN_FORM_MAX_LENGTH.code, description: 'Required for the authorization_code grant', example: 'SplxlOBeZQQYbYS6WxSbIA3oFgYqUZtNhhc1sWbmhMQ' })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.code)
  code?: string;

  @ApiPropertyOptional({
    maxLength: TOKEN_FORM_MAX_LENGTH.redirect_uri,
    description: 'Required for the authorization_code grant: the redirect_uri of the authorization request',
    example: 'https://app.example/callback',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.redirect_uri)
  redirect_uri?: string;

  @ApiPropertyOptional({
    maxLength: TOKEN_FORM_MAX_LENGTH.code_verifier,
    description: 'Required for the authorization_code grant: the PKCE verifier (RFC 7636)',
    example: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_FORM_MAX_LENGTH.code_verifier)
  code_verifier?: string;
}
