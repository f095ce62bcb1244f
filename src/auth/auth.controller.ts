import { Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { twoClientAuthenticationMethods } from '../clients/client-authentication.js';
import { invalidClient } from '../clients/clients.errors.js';
import { Origin, type RequestOrigin } from '../common/request-origin.js';
import { ApiErrorResponse, refusalOf } from '../common/error-responses.js';
import { serverBusy } from '../password/hash-queue.js';
import { PASSWORD_CHECK_REFUSALS } from '../throttle/login-throttle.js';
import type { User } from '../users/user.entity.js';
import { inactiveUser, incorrectUsernameOrPassword, tokenToRevokeMissing } from './auth-errors.js';
import { Auth, LoggedInUser, type AuthContext } from './auth-context.js';
import { AuthService, codeVerifierMissing } from './auth.service.js';
import { codeVerifierMismatch, invalidAuthorizationCode, redirectUriMismatch } from './authorization/authorization-codes.js';
import { Authenticated, Public } from './decorators.js';
import { RevokeRequest } from './dto/revoke-request.dto.js';
import { TokenRequest } from './dto/token-request.dto.js';
import type { ClientTokenResponse } from './dto/token-response.dto.js';
import { TokenResponse } from './dto/token-response.dto.js';
import { TokenFormBody, validateTokenForm, type TokenForm } from './token-form.js';
import { TokenFormGuard } from './guards.js';
import { invalidScope, scopeNotAllowedForClient } from './scopes.js';
import { invalidRefreshToken, scopeBeyondSession } from './sessions/sessions.service.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @Public()
  @UseGuards(TokenFormGuard)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Log in (OAuth2 password grant), refresh (refresh_token grant), or get a client its own token (client_credentials grant)',
    description:
      'A client_credentials request authenticates the client with HTTP Basic or with client_id and client_secret (RFC 6749 §2.3.1); ' +
      'its token has no refresh token and is refused by every user route. A password grant that names a registered client must ' +
      'authenticate it too; one that names no registered client (as Swagger UI does) is unaffected.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'multipart/form-data')
  @ApiBody({ type: TokenRequest })
  @ApiOkResponse({ type: TokenResponse, description: 'A login or a refresh; a client_credentials answer has no refresh_token' })
  @ApiErrorResponse(
    'A disabled user; an unknown scope, one beyond the session, or one the client is not registered for; a refresh token that is ' +
      'unknown, used, expired, revoked or of another client; client credentials sent two ways at once; an authorization code that ' +
      'is unknown, used, expired or of another client, sent with another redirect_uri or a code_verifier that does not match, or ' +
      'a field of that grant missing',
    {
      inactive_user: inactiveUser(),
      invalid_scope: invalidScope('write'),
      scope_beyond_session: scopeBeyondSession(),
      scope_not_allowed_for_client: scopeNotAllowedForClient('items'),
      invalid_grant: invalidRefreshToken(),
      two_client_authentication_methods: twoClientAuthenticationMethods(),
      invalid_authorization_code: invalidAuthorizationCode(),
      redirect_uri_mismatch: redirectUriMismatch(),
      code_verifier_mismatch: codeVerifierMismatch(),
      code_verifier_missing: codeVerifierMissing(),
    },
  )
  @ApiErrorResponse('Wrong password, or no such user; a client that is unknown or gave a wrong secret, or none', {
    incorrect_credentials: incorrectUsernameOrPassword(),
    invalid_client: invalidClient(),
  })
  @ApiErrorResponse('Missing or invalid form fields', { missing_fields: refusalOf(() => validateTokenForm({})) })
  @ApiErrorResponse('Too many failed or attempted logins: from this address, or for this account', PASSWORD_CHECK_REFUSALS)
  @ApiErrorResponse('Too many password checks waiting already', { server_busy: serverBusy() })
  async issueTokens(
    @TokenFormBody() form: TokenForm,
    @LoggedInUser() user: User | undefined,
    @Origin() origin: RequestOrigin,
  ): Promise<TokenResponse | ClientTokenResponse> {
    if (form.grant === 'refresh_token') return this.auth.refresh(form.refreshToken, form.scopes, origin, form.clientId);
    // TokenFormGuard identified the client, or the request did not get here.
    if (form.grant === 'authorization_code') return this.auth.exchangeCode(form, form.client!, origin);
    // TokenFormGuard authenticated the client, or the request did not get here.
    if (form.grant === 'client_credentials') return this.auth.clientCredentials(form.client!, form.scopes, origin);
    // A password grant passed the local strategy in TokenFormGuard, or did not get here.
    return this.auth.login(user!, form.scopes, origin);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: "End this token's session: its access and refresh tokens stop working" })
  @ApiNoContentResponse()
  async logout(@Auth() auth: AuthContext, @Origin() origin: RequestOrigin): Promise<void> {
    await this.auth.logout(auth.sessionId, origin);
  }

  @Post('revoke')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 7009: revoke a refresh or access token, and its session' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'Revoked, or there was nothing to revoke', schema: { type: 'object', additionalProperties: false }, example: {} })
  @ApiErrorResponse('No token to revoke', { token_missing: tokenToRevokeMissing() })
  async revoke(@Origin() origin: RequestOrigin, @Body() form: RevokeRequest): Promise<Record<string, never>> {
    await this.auth.revoke(form, origin);
    return {};
  }
}
