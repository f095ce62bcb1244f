import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';
import { PublicUser } from './public-user.dto.js';

/** What a superuser sees of an account. */
export class AdminUserView extends PublicUser {
  @ApiProperty({ example: false })
  is_superuser: boolean;

  static override from(user: User): AdminUserView {
    return { ...PublicUser.from(user), is_superuser: user.isSuperuser };
  }
}

export class UserPage {
  @ApiProperty({ type: [AdminUserView] })
  data: AdminUserView[];

  @ApiProperty({ description: 'All users, whatever skip and limit', example: 5 })
  count: number;
}
