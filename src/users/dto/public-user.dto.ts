import { ApiProperty } from '@nestjs/swagger';

/** The tutorial's `User` model: exactly these four keys. */
export class PublicUser {
  @ApiProperty({ example: 'johndoe' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'johndoe@example.com' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'John Doe' })
  full_name: string | null;

  @ApiProperty({ example: false })
  disabled: boolean;
}
