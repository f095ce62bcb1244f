// A user's address: what they see of it, a new verification link, and the link's own endpoint and
// pages (`/verify-email`, where VERIFY_URL_TEMPLATE points by default).
import { Body, Controller, Get, HttpCode, HttpException, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, type AuthContext } from '../auth/auth-context.js';
import { Authenticated, Public } from '../auth/decorators.js';
import { ApiErrorResponse, refusedInput } from '../common/error-responses.js';
import { isFormPost, sendHtmlPage as sendPage } from '../common/html.js';
import { Message } from '../common/message.dto.js';
import { Origin, type RequestOrigin } from '../common/request-origin.js';
import { mailUnavailable } from '../mail/mail-errors.js';
import { EmailStatusView } from './dto/email-status.dto.js';
import { VERIFY_TOKEN_MAX_LENGTH, VerifyEmailRequest } from './dto/email-requests.dto.js';
import { EmailVerification } from './email-verification.js';
import { invalidToken, nothingToVerify } from './users.errors.js';
import { UsersService } from './users.service.js';
import { confirmEmailPage, emailVerifiedPage, invalidLinkPage } from './verify-email-page.js';

const EMAIL_VERIFIED: Message = { message: 'Email verified' };
const VERIFICATION_SENT: Message = { message: 'Verification email sent' };

@ApiTags('users')
@Controller()
export class EmailController {
  constructor(
    private readonly users: UsersService,
    private readonly verification: EmailVerification,
  ) {}

  @Get('users/me/email')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'Your email address, whether it is verified, and a new address waiting for verification' })
  @ApiOkResponse({ type: EmailStatusView, example: { email: 'jane@example.com', verified: false, pending_email: null } })
  readMyEmail(@Auth() { user }: AuthContext): Promise<EmailStatusView> {
    return this.verification.status(user);
  }

  @Post('users/me/email/verification')
  @Authenticated({ scopes: ['me'] })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a new verification link',
    description:
      'To the pending address if there is one, else to the unverified address; earlier links stop working. ' +
      'Past MAIL_MAX_PER_ADDRESS or MAIL_MAX_PER_EMAIL the answer is the same and nothing is sent.',
  })
  @ApiAcceptedResponse({ type: Message, example: VERIFICATION_SENT })
  @ApiErrorResponse('No address, or a verified one and nothing pending', { nothing_to_verify: nothingToVerify() })
  @ApiErrorResponse('No mail can be sent (production without SMTP_URL)', { mail_unavailable: mailUnavailable() })
  async requestVerification(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext): Promise<Message> {
    await this.verification.requestVerification(user, origin);
    return VERIFICATION_SENT;
  }

  @Get('verify-email')
  @Public()
  @ApiOperation({
    summary: "The mailed link's page: a button that confirms the address",
    description: 'Verifies nothing by itself (mail scanners open links): the button posts the token to POST /verify-email.',
  })
  @ApiQuery({ name: 'token', required: false, type: String })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page with the button', content: { 'text/html': { schema: { type: 'string' } } } })
  showVerifyPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const { token } = request.query as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || token.length > VERIFY_TOKEN_MAX_LENGTH) return sendPage(reply, 400, invalidLinkPage());
    sendPage(reply, 200, confirmEmailPage(token));
  }

  @Post('verify-email')
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({
    summary: "Verify an address with a mailed link's token",
    description:
      "A pending address replaces the account's address; other accounts' unverified claims on it end. " +
      'A form post (the button of GET /verify-email) answers an HTML page instead of JSON, with the same status.',
  })
  @ApiOkResponse({ type: Message, example: EMAIL_VERIFIED })
  @ApiErrorResponse('A bad, used or expired token, or one whose address is no longer the account\'s', { invalid_token: invalidToken() })
  @ApiErrorResponse('Invalid fields', { missing_token: refusedInput(VerifyEmailRequest, 'body', {}) })
  async verifyEmail(
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: VerifyEmailRequest,
  ): Promise<void> {
    if (!isFormPost(request)) {
      await this.users.verifyEmail(body.token, origin);
      void reply.code(200).send(EMAIL_VERIFIED);
      return;
    }
    try {
      await this.users.verifyEmail(body.token, origin);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) return sendPage(reply, error.getStatus(), invalidLinkPage());
      throw error;
    }
    sendPage(reply, 200, emailVerifiedPage());
  }
}
