import { ApiProperty } from '@nestjs/swagger';

const BASE = 'http://127.0.0.1:8000';

/** RFC 8414 §2: what a client or another service needs to know to use this authorization server. */
export class ServerMetadata {
  @ApiProperty({ description: 'The `iss` of every token (PUBLIC_URL, unless JWT_ISSUER says otherwise)', example: BASE })
  issuer: string;

  @ApiProperty({ example: `${BASE}/token` })
  token_endpoint: string;

  @ApiProperty({ example: `${BASE}/.well-known/jwks.json` })
  jwks_uri: string;

  @ApiProperty({ example: `${BASE}/revoke` })
  revocation_endpoint: string;

  @ApiProperty({ example: `${BASE}/introspect` })
  introspection_endpoint: string;

  @ApiProperty({ example: ['password', 'refresh_token', 'client_credentials'] })
  grant_types_supported: string[];

  @ApiProperty({ description: 'Empty: no grant here uses an authorization endpoint', example: [] })
  response_types_supported: string[];

  @ApiProperty({ example: ['me', 'items', 'admin'] })
  scopes_supported: string[];

  @ApiProperty({ example: ['client_secret_basic', 'client_secret_post'] })
  token_endpoint_auth_methods_supported: string[];

  @ApiProperty({ description: 'RFC 7009 revocation needs no client authentication', example: ['none'] })
  revocation_endpoint_auth_methods_supported: string[];

  @ApiProperty({ example: ['client_secret_basic', 'client_secret_post'] })
  introspection_endpoint_auth_methods_supported: string[];

  @ApiProperty({ example: `${BASE}/docs` })
  service_documentation: string;
}
