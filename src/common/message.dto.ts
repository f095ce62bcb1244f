import { ApiProperty } from '@nestjs/swagger';

/** A confirmation: `{"message": "…"}`. */
export class Message {
  @ApiProperty({ example: 'Password updated successfully' })
  message: string;
}
