import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateItemRequest {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Bar', description: 'Unique among your items' })
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  item_id: string;

  @ApiProperty({ minLength: 1, maxLength: 255, example: 'The Bar' })
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10_000, example: 'The bartenders' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;
}

export class UpdateItemRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Bar' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  item_id?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'The Bar fighters' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  title?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10_000, example: 'The bartenders' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;
}
