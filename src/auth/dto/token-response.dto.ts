import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE_ACCESS_TOKEN, EXAMPLE_REFRESH_TOKEN } from './token-examples.js';

/** RFC 6749 §4.4.3: a client_credentials answer, which has no refresh token. */
export class ClientTokenResponse {
  @ApiProperty({ description: 'JWT, HS256', example: EXAMPLE_ACCESS_TOKEN })
  access_token: string;

  @ApiProperty({ example: 'bearer' })
  token_type: 'bearer';

  @ApiProperty({ description: 'Lifetime of the access token in seconds', example: 1800 })
  expires_in: number;

  @ApiProperty({ description: 'Space-separated scopes granted', example: 'me items' })
  scope: string;
}

export class TokenResponse {
  @ApiProperty({ description: 'JWT, HS256', example: EXAMPLE_ACCESS_TOKEN })
  access_token: string;

  @ApiProperty({ example: 'bearer' })
  token_type: 'bearer';

  @ApiProperty({ description: 'Lifetime of the access token in seconds', example: 1800 })
  expires_in: number;

  @ApiProperty({
    description: 'Opaque; exchange it at POST /token with grant_type=refresh_token. Single use.',
    example: EXAMPLE_REFRESH_TOKEN,
  })
  refresh_token: string;

  @ApiProperty({ description: 'Space-separated scopes granted', example: 'me items' })
  scope: string;
}
