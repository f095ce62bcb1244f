import { ApiProperty } from '@nestjs/swagger';

/** A user's address, whether they proved they read it, and the address waiting to replace it. */
export class EmailStatusView {
  @ApiProperty({ type: String, nullable: true, example: 'jane@example.com' })
  email: string | null;

  @ApiProperty({ description: 'False when there is no address', example: true })
  verified: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'A new address asked for, which replaces `email` once verified', example: null })
  pending_email: string | null;
}
