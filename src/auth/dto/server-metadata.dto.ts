import { ApiProperty } from '@nestjs/swagger';

const BASE = 'http://127.0.0.1:8000';

/** RFC 8414 §2: what a client or another service needs to know to use this authorization server. */
export class ServerMetadata {
  @ApiProperty({ description: 'The `iss` of every token (PUBLIC_URL, unless JWT_ISSUER says otherwise)', example: BASE })
  issuer: string;

  @ApiProperty({ description: 'Where browsers sign users in for applications (the authorization code flow with PKCE)', example: `${BASE}/authorize` })
  authorization_endpoint: string;

  @ApiProperty({ example: `${BASE}/token` })
  token_endpoint: string;

  @ApiProperty({ example: `${BASE}/.well-known/jwks.json` })
  jwks_uri: string;

  @ApiProperty({ example: `${BASE}/revoke` })
  revocation_endpoint: string;

  @ApiProperty({ example: `${BASE}/introspect` })
  introspection_endpoint: string;

  @ApiProperty({ example: ['password', 'refresh_token', 'client_credentials', 'authorization_code'] })
  grant_types_supported: string[];

  @ApiProperty({ description: 'The authorization code flow only', example: ['code'] })
  response_types_supported: string[];

  @ApiProperty({ description: 'Answers come back in the redirect URI\'s query', example: ['query'] })
  response_modes_supported: string[];

  @ApiProperty({ description: 'PKCE (RFC 7636) is required, with S256 only', example: ['S256'] })
  code_challenge_methods_supported: string[];

  @ApiProperty({ description: 'RFC 9207: the authorization endpoint\'s answers carry `iss`', example: true })
  authorization_response_iss_parameter_supported: boolean;

  @ApiProperty({ example: ['me', 'items', 'admin'] })
  scopes_supported: string[];

  @ApiProperty({ description: '`none`: a public client names itself with client_id', example: ['client_secret_basic', 'client_secret_post', 'none'] })
  token_endpoint_auth_methods_supported: string[];

  @ApiProperty({ description: 'RFC 7009 revocation needs no client authentication', example: ['none'] })
  revocation_endpoint_auth_methods_supported: string[];

  @ApiProperty({ example: ['client_secret_basic', 'client_secret_post'] })
  introspection_endpoint_auth_methods_supported: string[];

  @ApiProperty({ example: `${BASE}/docs` })
  service_documentation: string;
}
