import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** RFC 7009 §2.1. A missing token is RFC 6749's `invalid_request`, not a 422. */
export class RevokeRequest {
  @ApiPropertyOptional({ description: 'The refresh or access token to revoke' })
  @IsOptional()
  @IsString()
  token?: string;

  @ApiPropertyOptional({ description: '`refresh_token` or `access_token`: where to look first; anything else is ignored' })
  @IsOptional()
  @IsString()
  token_type_hint?: string;
}
