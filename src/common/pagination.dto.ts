import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;

/**
 * The largest skip written into the query as an exact integer. `1e19` or `1e308` pass as integers
 * in JavaScript but overflow PostgreSQL's bigint OFFSET and mismatch SQLite's: a 500 without this.
 */
export const MAX_SKIP = Number.MAX_SAFE_INTEGER;

/** `?skip=&limit=`, as in FastAPI's full-stack template; at most 100 rows a page. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_SKIP, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SKIP)
  skip: number = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = MAX_PAGE_SIZE;
}
