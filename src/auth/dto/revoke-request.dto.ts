import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { FormModel } from '../../common/fastapi-validation.pipe.js';
import { EXAMPLE_REFRESH_TOKEN } from './token-examples.js';

/** RFC 7009 §2.1. A missing token is RFC 6749's `invalid_request`, not a 422. */
@FormModel()
export class RevokeRequest {
  @ApiPropertyOptional({ description: 'The refresh or access token to revoke', example: EXAMPLE_REFRESH_TOKEN })
  @IsOptional()
  @IsString()
  token?: string;

  @ApiPropertyOptional({
    description: '`refresh_token` or `access_token`: where to look first; anything else is ignored',
    example: 'refresh_token',
  })
  @IsOptional()
  @IsString()
  token_type_hint?: string;
}
