import { ApiProperty } from '@nestjs/swagger';
import { PublicUser } from './public-user.dto.js';

/** What a superuser sees of an account. */
export class AdminUserView extends PublicUser {
  @ApiProperty({ example: false })
  is_superuser: boolean;
}

export class UserPage {
  @ApiProperty({ type: [AdminUserView] })
  data: AdminUserView[];

  @ApiProperty({ description: 'All users, whatever skip and limit', example: 5 })
  count: number;
}
