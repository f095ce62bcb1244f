import { Controller, Delete, Get, HttpCode, NotFoundException, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Origin, type RequestOrigin } from '../../common/request-origin.js';
import { ApiErrorResponse } from '../../common/error-responses.js';
import { Auth, type AuthContext } from '../auth-context.js';
import { Authenticated } from '../decorators.js';
import { SessionView } from '../dto/session-view.dto.js';
import { SessionsService } from './sessions.service.js';

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
  async listSessions(@Auth() auth: AuthContext): Promise<SessionView[]> {
    const sessions = await this.sessions.listLive(auth.user.id);
    return sessions.map((session) => SessionView.from(session, auth.sessionId));
  }

  @Delete()
  @Authenticated(ME)
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out everywhere: end every session, this one included' })
  @ApiNoContentResponse()
  async endAllSessions(@Auth() auth: AuthContext, @Origin() origin: RequestOrigin): Promise<void> {
    await this.sessions.revokeAll(auth.user.id, origin);
  }

  @Delete(':sid')
  @Authenticated(ME)
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of your sessions' })
  @ApiNoContentResponse()
  @ApiErrorResponse('No such live session of yours', { session_not_found: sessionNotFound() })
  async endSession(@Auth() auth: AuthContext, @Origin() origin: RequestOrigin, @Param('sid') sid: string): Promise<void> {
    if (!(await this.sessions.revoke(sid, auth.user.id, origin))) throw sessionNotFound();
  }
}
