// RFC 8414: the authorization server's metadata, every URL absolute from PUBLIC_URL.
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { Public } from './decorators.js';
import { ServerMetadata } from './dto/server-metadata.dto.js';
import { SCOPES } from './scopes.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
/** At the token endpoint a public client authenticates with nothing but its client_id (and PKCE). */
const TOKEN_ENDPOINT_AUTH_METHODS = [...CLIENT_AUTH_METHODS, 'none'];

@ApiTags('discovery')
@Controller('.well-known')
export class DiscoveryController {
  private readonly metadata: ServerMetadata;

  constructor(private readonly config: AppConfig) {
    const url = (path: string) => `${config.publicUrl}${path}`;
    this.metadata = Object.freeze({
      issuer: config.jwtIssuer,
      authorization_endpoint: url('/authorize'),
      token_endpoint: url('/token'),
      jwks_uri: url('/.well-known/jwks.json'),
      revocation_endpoint: url('/revoke'),
      introspection_endpoint: url('/introspect'),
      grant_types_supported: ['password', 'refresh_token', 'client_credentials', 'authorization_code'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      // RFC 9207: every answer of the authorization endpoint names the issuer.
      authorization_response_iss_parameter_supported: true,
      scopes_supported: Object.keys(SCOPES),
      token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: ['none'],
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      service_documentation: url('/docs'),
    });
  }

  @Get('oauth-authorization-server')
  @Public()
  @ApiOperation({ summary: 'RFC 8414: authorization server metadata (endpoints, grants, scopes, client authentication)' })
  @ApiOkResponse({ type: ServerMetadata })
  serverMetadata(@Res({ passthrough: true }) reply: FastifyReply): ServerMetadata {
    reply.header('Cache-Control', `public, max-age=${this.config.jwksMaxAgeSeconds}`);
    return this.metadata;
  }
}
