// What a password recovery sends: the address in the path, then the mailed token and a new password.
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsEmail, IsString, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH } from '../../users/dto/field-rules.js';
import { PasswordField } from '../../users/dto/fields.js';

/** Far longer than any token the service issues (43 characters), short enough to refuse junk early. */
const TOKEN_MAX_LENGTH = 256;

export class RecoveryEmailPath {
  @ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'johndoe@example.com', description: 'The address the account gave' })
  @IsDefined()
  @IsEmail({ require_tld: false })
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;
}

export class ResetPasswordRequest {
  @ApiProperty({ maxLength: TOKEN_MAX_LENGTH, description: 'The token of the mailed link', example: 'q1jX5bV9v7yJx2cU1k0kX8h3mZr6uWn4dTgPiLaEoSc' })
  @IsDefined()
  @IsString()
  @MaxLength(TOKEN_MAX_LENGTH)
  token: string;

  @PasswordField()
  new_password: string;
}
