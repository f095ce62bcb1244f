import { ApiProperty } from '@nestjs/swagger';
import type { Session } from '../sessions/session.entity.js';
import { EXAMPLE_SESSION_ID } from './token-examples.js';

/** One of your live sessions, as `GET /users/me/sessions` lists it. */
export class SessionView {
  @ApiProperty({ format: 'uuid', description: 'The `sid` of the session’s tokens', example: EXAMPLE_SESSION_ID })
  id: string;

  @ApiProperty({ format: 'date-time', example: '2025-06-01T09:30:00.000Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', example: '2025-06-01T10:15:00.000Z' })
  last_used_at: string;

  @ApiProperty({ format: 'date-time', example: '2025-07-01T09:30:00.000Z' })
  expires_at: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  client_address: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' })
  user_agent: string | null;

  @ApiProperty({ description: 'The session of the token making this request', example: true })
  current: boolean;

  /** `currentSessionId`: the session of the token making the request. */
  static from(session: Session, currentSessionId: string): SessionView {
    return {
      id: session.id,
      created_at: new Date(session.createdAt).toISOString(),
      last_used_at: new Date(session.lastUsedAt).toISOString(),
      expires_at: new Date(session.expiresAt).toISOString(),
      client_address: session.clientAddress,
      user_agent: session.userAgent,
      current: session.id === currentSessionId,
    };
  }
}
