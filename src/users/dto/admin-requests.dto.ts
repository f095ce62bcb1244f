// What a superuser sends about other accounts.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { SignUpRequest } from './account-requests.dto.js';
import { EmailField, FullNameField, PasswordField } from './fields.js';

/** A sign-up, plus the flags only a superuser may set. */
export class CreateUserRequest extends SignUpRequest {
  @ApiPropertyOptional({ default: false, example: false })
  @IsOptional()
  @IsBoolean()
  is_superuser?: boolean;

  @ApiPropertyOptional({ default: false, example: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class UpdateUserRequest {
  @EmailField()
  email?: string | null;

  @FullNameField()
  full_name?: string | null;

  @PasswordField({ required: false, description: "Sets a new password and ends the user's earlier tokens" })
  password?: string;

  @ApiPropertyOptional({ description: 'Disabled users keep their tokens, which answer 400 Inactive user', example: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ description: "Changing it ends the user's earlier tokens", example: false })
  @IsOptional()
  @IsBoolean()
  is_superuser?: boolean;
}
