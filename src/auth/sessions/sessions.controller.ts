import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Origin, type RequestOrigin } from '../../common/request-origin.js';
import { ApiErrorResponse } from '../../common/error-responses.js';
import { Authenticated } from '../decorators.js';
import { EXAMPLE_SESSION_ID } from '../dto/token-examples.js';
import type { AuthenticatedRequest } from '../jwt.strategy.js';
import type { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

class SessionView {
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
}

const ME = { scopes: ['me' as const] };

const sessionNotFound = () => new NotFoundException({ detail: 'Session not found' });

@ApiTags('users')
@Controller('users/me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @Authenticated(ME)
  @ApiOperation({ summary: 'Your live sessions (logins), newest first' })
  @ApiOkResponse({ type: [SessionView] })
  async listSessions(@Req() request: AuthenticatedRequest): Promise<SessionView[]> {
    const sessions = await this.sessions.listLive(request.user.id);
    return sessions.map((session) => toView(session, request.sessionId));
  }

  @Delete()
  @Authenticated(ME)
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out everywhere: end every session, this one included' })
  @ApiNoContentResponse()
  async endAllSessions(@Req() request: AuthenticatedRequest, @Origin() origin: RequestOrigin): Promise<void> {
    await this.sessions.revokeAll(request.user.id, origin);
  }

  @Delete(':sid')
  @Authenticated(ME)
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of your sessions' })
  @ApiNoContentResponse()
  @ApiErrorResponse('No such live session of yours', { session_not_found: sessionNotFound() })
  async endSession(@Req() request: AuthenticatedRequest, @Origin() origin: RequestOrigin, @Param('sid') sid: string): Promise<void> {
    if (!(await this.sessions.revoke(sid, request.user.id, origin))) throw sessionNotFound();
  }
}

function toView(session: Session, currentSessionId: string): SessionView {
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
