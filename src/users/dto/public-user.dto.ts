import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

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

  /** What a user may see of an account: never the hash. */
  static from(user: User): PublicUser {
    return { username: user.username, email: user.email, full_name: user.fullName, disabled: user.disabled };
  }
}
