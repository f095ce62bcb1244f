import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OAuthClient } from '../client.entity.js';

const EXAMPLE_CLIENT_ID = 'client~3f9a1c0e7b2d4a6f8e1c5b09';
const EXAMPLE_CLIENT_SECRET = 'q8Z2vLx0cN4mT7rYb1HsKfW3uJ9eP6aD5gV0iQ2oS4E';
const EXAMPLE_CREATED_AT = '2026-12-06T19:30:00.000Z';
const EXAMPLE_REDIRECT_URIS = ['https://billing.example/oauth/callback'];

/** What every view of a client says of how it may be used. */
class ClientKind {
  @ApiProperty({ type: [String], example: EXAMPLE_REDIRECT_URIS, description: 'Where authorization answers may be sent, in the order registered' })
  redirect_uris: string[];

  @ApiProperty({ example: false, description: 'A public client has no secret (single-page and mobile apps)' })
  public: boolean;

  @ApiProperty({ example: false, description: "An application of this service's own operator" })
  first_party: boolean;
}

function kindOf(client: OAuthClient): ClientKind {
  return { redirect_uris: client.redirectUris, public: client.isPublic, first_party: client.firstParty };
}

/** A registered client, as `GET /clients` lists it: never its secret. */
export class ClientView extends ClientKind {
  @ApiProperty({ example: EXAMPLE_CLIENT_ID })
  client_id: string;

  @ApiProperty({ example: 'billing-service' })
  name: string;

  @ApiProperty({ example: 'me items', description: 'Space-separated scopes the client may ask for' })
  scope: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE_CREATED_AT })
  created_at: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: EXAMPLE_CREATED_AT, description: 'When the current secret was made; null for a public client' })
  secret_rotated_at: string | null;

  static from(client: OAuthClient): ClientView {
    return {
      client_id: client.clientId,
      name: client.name,
      scope: client.scope,
      ...kindOf(client),
      created_at: new Date(client.createdAt).toISOString(),
      secret_rotated_at: client.isPublic ? null : new Date(client.secretRotatedAt).toISOString(),
    };
  }
}

/** `POST /clients`: the new client and, for a confidential one, its secret, shown this once. */
export class RegisteredClient extends ClientKind {
  @ApiProperty({ example: EXAMPLE_CLIENT_ID })
  client_id: string;

  @ApiPropertyOptional({ example: EXAMPLE_CLIENT_SECRET, description: 'Shown once: only its SHA-256 is stored. Absent for a public client, which has none' })
  client_secret?: string;

  @ApiProperty({ example: 'billing-service' })
  name: string;

  @ApiProperty({ example: 'me items' })
  scope: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE_CREATED_AT })
  created_at: string;

  static from(client: OAuthClient, secret: string | undefined): RegisteredClient {
    return {
      client_id: client.clientId,
      ...(secret === undefined ? {} : { client_secret: secret }),
      name: client.name,
      scope: client.scope,
      ...kindOf(client),
      created_at: new Date(client.createdAt).toISOString(),
    };
  }
}

/** `POST /clients/{client_id}/secret`: the new secret, shown this once; the old one no longer works. */
export class NewClientSecret {
  @ApiProperty({ example: EXAMPLE_CLIENT_ID })
  client_id: string;

  @ApiProperty({ example: EXAMPLE_CLIENT_SECRET, description: 'Shown once: only its SHA-256 is stored' })
  client_secret: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE_CREATED_AT })
  secret_rotated_at: string;

  static from(client: OAuthClient, secret: string): NewClientSecret {
    return { client_id: client.clientId, client_secret: secret, secret_rotated_at: new Date(client.secretRotatedAt).toISOString() };
  }
}
