import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { EXAMPLE_REFRESH_TOKEN } from './token-examples.js';

export const GRANT_TYPE_PATTERN = '^(password|refresh_token)$';

const isRefreshGrant = (form: TokenRequest) => form.grant_type === 'refresh_token';

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

  @ApiPropertyOptional({ example: 'johndoe', description: 'Required for the password grant' })
  @ValidateIf((form: TokenRequest) => !isRefreshGrant(form))
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  username?: string;

  @ApiPropertyOptional({ example: 'secret', format: 'password', description: 'Required for the password grant' })
  @ValidateIf((form: TokenRequest) => !isRefreshGrant(form))
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  password?: string;

  @ApiPropertyOptional({
    default: '',
    description: 'Space-separated scopes: `me`, `items`, `admin` (superusers). Empty grants `me items`.',
    example: 'me items',
  })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({ example: 'my-app' })
  @IsOptional()
  @IsString()
  client_id?: string;

  @ApiPropertyOptional({ format: 'password', example: 'my-app-secret' })
  @IsOptional()
  @IsString()
  client_secret?: string;

  @ApiPropertyOptional({ format: 'password', description: 'Required for the refresh_token grant', example: EXAMPLE_REFRESH_TOKEN })
  @ValidateIf(isRefreshGrant)
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  refresh_token?: string;
}
