import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXAMPLE_ACCESS_TOKEN, EXAMPLE_REFRESH_TOKEN } from './token-examples.js';

export class TokenResponse {
  @ApiProperty({ description: 'JWT, HS256', example: EXAMPLE_ACCESS_TOKEN })
  access_token: string;

  @ApiProperty({ example: 'bearer' })
  token_type: 'bearer';

  @ApiProperty({ description: 'Lifetime of the access token in seconds', example: 1800 })
  expires_in: number;

  @ApiPropertyOptional({
    description: 'Opaque; exchange it at POST /token with grant_type=refresh_token. Single use. Not issued for client_credentials.',
    example: EXAMPLE_REFRESH_TOKEN,
  })
  refresh_token?: string;

  @ApiProperty({ description: 'Space-separated scopes granted', example: 'me items' })
  scope: string;
}

/** RFC 6749 §4.4.3: a client_credentials answer, which has no refresh token. */
export type ClientTokenResponse = Omit<TokenResponse, 'refresh_token'>;
