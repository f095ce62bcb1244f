import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Client, clientInfo, type ClientInfo } from '../common/client-info.js';
import { ErrorDetail, HttpValidationError } from '../common/error-detail.dto.js';
import type { User } from '../users/user.entity.js';
import { AuthService } from './auth.service.js';
import { Authenticated, Public } from './decorators.js';
import { RevokeRequest } from './dto/revoke-request.dto.js';
import { TokenRequest } from './dto/token-request.dto.js';
import { TokenResponse } from './dto/token-response.dto.js';
import { TokenFormGuard } from './guards.js';
import type { AuthenticatedRequest } from './jwt.strategy.js';
import { parseScopes } from './scopes.js';

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
  @ApiOperation({ summary: 'Log in (OAuth2 password grant) or refresh (refresh_token grant)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'multipart/form-data')
  @ApiBody({ type: TokenRequest })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'Incorrect username or password', type: ErrorDetail })
  @ApiBadRequestResponse({
    description: 'Inactive user; `"error": "invalid_scope"` or `"invalid_grant"` (a bad refresh token)',
    type: ErrorDetail,
  })
  @ApiUnprocessableEntityResponse({ description: 'Missing or invalid form fields', type: HttpValidationError })
  issueTokens(@Req() request: FastifyRequest, @Body() form: TokenRequest): Promise<TokenResponse> {
    const scopes = parseScopes(form.scope);
    if (form.grant_type === 'refresh_token') return this.auth.refresh(form.refresh_token!, scopes, clientInfo(request));
    return this.auth.login((request as unknown as { user: User }).user, scopes, clientInfo(request));
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: "End this token's session: its access and refresh tokens stop working" })
  @ApiNoContentResponse()
  async logout(@Req() request: AuthenticatedRequest, @Client() client: ClientInfo): Promise<void> {
    await this.auth.logout(request.sessionId, client);
  }

  @Post('revoke')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 7009: revoke a refresh or access token, and its session' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'Revoked, or there was nothing to revoke' })
  @ApiBadRequestResponse({ description: '`"error": "invalid_request"`: no token', type: ErrorDetail })
  async revoke(@Client() client: ClientInfo, @Body() form: RevokeRequest): Promise<Record<string, never>> {
    await this.auth.revoke(form, client);
    return {};
  }

}
