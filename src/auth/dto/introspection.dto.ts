import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXAMPLE_ACCESS_TOKEN, EXAMPLE_SESSION_ID } from './token-examples.js';

/**
 * RFC 7662 §2.1, with the client's credentials when it does not use HTTP Basic: documentation only.
 * The endpoint reads its form with readIntrospectionForm (each parameter at most once, a 400
 * invalid_request otherwise); a missing token is `invalid_request` too.
 */
export class IntrospectionRequest {
  // No length limit of its own (the body limit bounds it): a token longer than any this service
  // issues is inactive, like any other token it did not issue.
  @ApiPropertyOptional({ description: 'The access or refresh token to look at', example: EXAMPLE_ACCESS_TOKEN })
  token?: string;

  @ApiPropertyOptional({
    description: '`access_token` or `refresh_token`; the token is recognised by its form whatever this says',
    example: 'access_token',
  })
  token_type_hint?: string;

  @ApiPropertyOptional({ example: 'client~3f9a1c0e7b2d4a6f8e1c5b09', description: 'Or HTTP Basic' })
  client_id?: string;

  @ApiPropertyOptional({ format: 'password', example: 'q8Z2vLx0cN4mT7rYb1HsKfW3uJ9eP6aD5gV0iQ2oS4E' })
  client_secret?: string;
}

/**
 * RFC 7662 §2.2. A live token has every member that applies to it; anything else (expired, revoked,
 * its user or client gone, malformed, not ours) is exactly `{"active": false}`.
 */
export class IntrospectionResponse {
  @ApiProperty({ example: true })
  active: boolean;

  @ApiPropertyOptional({ description: "The user's username, or a client token's client id", example: 'johndoe' })
  sub?: string;

  @ApiPropertyOptional({ description: "The user's username (user tokens only)", example: 'johndoe' })
  username?: string;

  @ApiPropertyOptional({ example: 'me items' })
  scope?: string;

  @ApiPropertyOptional({ description: 'Seconds since the epoch at which the token stops working', example: 1748772000 })
  exp?: number;

  @ApiPropertyOptional({ description: 'Seconds since the epoch at which the token was issued', example: 1748770200 })
  iat?: number;

  @ApiPropertyOptional({ description: 'The login session (user tokens only)', example: EXAMPLE_SESSION_ID })
  sid?: string;

  @ApiPropertyOptional({ description: 'Present only when the token carries one', example: 'client~3f9a1c0e7b2d4a6f8e1c5b09' })
  client_id?: string;

  @ApiPropertyOptional({ enum: ['Bearer', 'refresh_token'], example: 'Bearer' })
  token_type?: string;

  @ApiPropertyOptional({ example: 'oauth2-password-service' })
  iss?: string;

  @ApiPropertyOptional({ example: 'oauth2-password-service' })
  aud?: string;
}
