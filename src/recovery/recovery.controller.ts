import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators.js';
import { ApiErrorResponse, refusalOf, refusedInput } from '../common/error-responses.js';
import { isFormPost, sendHtmlPage as sendPage } from '../common/html.js';
import { FastApiValidationPipe } from '../common/fastapi-validation.pipe.js';
import { Message } from '../common/message.dto.js';
import { RequestValidationError } from '../common/request-validation.js';
import { Origin, type RequestOrigin } from '../common/request-origin.js';
import { mailUnavailable } from '../mail/mail-errors.js';
import { serverBusy } from '../password/hash-queue.js';
import { PASSWORD_CONTAINS_USERNAME } from '../password/password-policy.js';
import { InvalidLinkToken, invalidToken, weakPassword } from '../users/users.errors.js';
import { RecoveryEmailPath, ResetPasswordRequest } from './dto/recovery-requests.dto.js';
import { RecoveryService } from './recovery.service.js';
import { invalidLinkPage, resetDonePage, resetFormPage } from './reset-pages.js';

const RECOVERY_SENT: Message = { message: 'Password recovery email sent' };
const PASSWORD_UPDATED: Message = { message: 'Password updated successfully' };

const field = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

@ApiTags('auth')
@Controller()
export class RecoveryController {
  constructor(private readonly recovery: RecoveryService) {}

  @Post('password-recovery/:email')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mail a password reset link',
    description:
      'Answers the same for every well-formed address, whether an account has it or not, and past the mail limits; ' +
      'a link goes only to an active account with that address.',
  })
  @ApiOkResponse({ type: Message, example: RECOVERY_SENT })
  @ApiErrorResponse('Not an email address', { invalid_email: refusalOf(() => new FastApiValidationPipe().transform({ email: 'johndoe' }, { type: 'param', metatype: RecoveryEmailPath })) })
  @ApiErrorResponse('Email is not configured on this server (production without SMTP_URL)', { mail_unavailable: mailUnavailable() })
  async recoverPassword(@Origin() origin: RequestOrigin, @Param() { email }: RecoveryEmailPath): Promise<Message> {
    await this.recovery.requestRecovery(email, origin);
    return RECOVERY_SENT;
  }

  @Get('reset-password')
  @Public()
  @ApiExcludeEndpoint()
  async resetPasswordPage(@Query('token') token: unknown, @Res() reply: FastifyReply): Promise<void> {
    if (typeof token === 'string' && token !== '' && (await this.recovery.isLive(token))) sendPage(reply, 200, resetFormPage(token));
    else sendPage(reply, 400, invalidLinkPage());
  }

  /**
   * JSON (the API, as FastAPI's template has it), or the reset page's form, which posts back here
   * and is answered with a page.
   */
  @Post('reset-password')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password with the token of a mailed link; every session and token of the account ends' })
  @ApiBody({ type: ResetPasswordRequest })
  @ApiOkResponse({ type: Message, example: PASSWORD_UPDATED })
  @ApiErrorResponse('The token is unknown, used, replaced by a newer one, or expired', { invalid_token: invalidToken() })
  @ApiErrorResponse('Invalid fields', {
    invalid_fields: refusedInput(ResetPasswordRequest, 'body', { token: 'q1jX5bV9v7yJx2cU1k0kX8h3mZr6uWn4dTgPiLaEoSc', new_password: 'short' }),
    common_password: refusedInput(ResetPasswordRequest, 'body', { token: 'q1jX5bV9v7yJx2cU1k0kX8h3mZr6uWn4dTgPiLaEoSc', new_password: '12345678' }),
    password_contains_username: weakPassword(PASSWORD_CONTAINS_USERNAME, 'new_password'),
  })
  @ApiErrorResponse('Too many password hashes waiting already', { server_busy: serverBusy() })
  async resetPassword(@Origin() origin: RequestOrigin, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    if (isFormPost(request)) return this.resetFromPage(origin, reply, body);
    const { token, new_password } = new FastApiValidationPipe().transform(body, { type: 'body', metatype: ResetPasswordRequest }) as ResetPasswordRequest;
    await this.recovery.resetPassword(token, new_password, origin);
    void reply.code(200).send(PASSWORD_UPDATED);
  }

  private async resetFromPage(origin: RequestOrigin, reply: FastifyReply, body: unknown): Promise<void> {
    const token = field(body, 'token');
    const newPassword = field(body, 'new_password') ?? '';
    if (!token) return sendPage(reply, 400, invalidLinkPage());
    if (newPassword !== field(body, 'confirm_password')) return sendPage(reply, 422, resetFormPage(token, 'The two passwords differ.'));
    try {
      new FastApiValidationPipe().transform({ token, new_password: newPassword }, { type: 'body', metatype: ResetPasswordRequest });
      await this.recovery.resetPassword(token, newPassword, origin);
    } catch (error) {
      if (error instanceof RequestValidationError) return sendPage(reply, 422, resetFormPage(token, problemOf(error)));
      if (error instanceof InvalidLinkToken) return sendPage(reply, 400, invalidLinkPage());
      throw error;
    }
    sendPage(reply, 200, resetDonePage());
  }
}

/** The policy's reason, as the 422 gives it, for a person. */
function problemOf(error: RequestValidationError): string {
  const issue = error.issues.find((candidate) => candidate.loc.includes('new_password')) ?? error.issues[0];
  return issue ? issue.msg : 'This password cannot be used.';
}

