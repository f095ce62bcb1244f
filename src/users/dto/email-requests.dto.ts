// What a user sends about their address.
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';

/** The longest token accepted: a mailed token is 43 characters (256 bits, base64url). */
export const VERIFY_TOKEN_MAX_LENGTH = 128;

export class VerifyEmailRequest {
  @ApiProperty({ description: "The `token` of the mailed link's address", maxLength: VERIFY_TOKEN_MAX_LENGTH, example: 'mMIYZxXvVuLz2C0g9qlfbKf5vz0N0WXDkJ6bd0G3D7c' })
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(VERIFY_TOKEN_MAX_LENGTH)
  token: string;
}
