import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../auth/auth-context.js';
import { Authenticated, type AccessRule } from '../auth/decorators.js';
import { ApiErrorResponse, refusedInput } from '../common/error-responses.js';
import { Origin, type RequestOrigin } from '../common/request-origin.js';
import { clientNotFound, publicClientHasNoSecret } from './clients.errors.js';
import { ClientsService, type ClientRegistration } from './clients.service.js';
import { CreateClientRequest } from './dto/create-client-request.dto.js';
import { ClientView, NewClientSecret, RegisteredClient } from './dto/client-view.dto.js';

const ADMIN: AccessRule = { superuser: true, scopes: ['admin'] };

@ApiTags('clients')
@Controller('clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Register an OAuth2 client; a confidential client\'s secret is shown in this answer only (superusers)' })
  @ApiCreatedResponse({ type: RegisteredClient })
  @ApiErrorResponse('Invalid fields: no name, a scope that is unknown or admin, a redirect URI that cannot be registered, or a public client without one', {
    admin_scope: refusedInput(CreateClientRequest, 'body', { name: 'billing-service', scope: 'me admin' }),
    missing_name: refusedInput(CreateClientRequest, 'body', { scope: 'items' }),
    redirect_uri_fragment: refusedInput(CreateClientRequest, 'body', { name: 'web-app', scope: 'me', redirect_uris: ['https://app.example/cb#done'] }),
    public_without_redirect_uri: refusedInput(CreateClientRequest, 'body', { name: 'mobile-app', scope: 'me', public: true }),
  })
  async createClient(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext, @Body() body: CreateClientRequest): Promise<RegisteredClient> {
    const { client, secret } = await this.clients.create(user, clientRegistration(body), origin);
    return RegisteredClient.from(client, secret);
  }

  @Get()
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'List the registered clients, without their secrets (superusers)' })
  @ApiOkResponse({ type: [ClientView] })
  async listClients(): Promise<ClientView[]> {
    return (await this.clients.list()).map((client) => ClientView.from(client));
  }

  @Post(':client_id/secret')
  @Authenticated(ADMIN)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a client a new secret; the old one stops working at once (superusers)' })
  @ApiOkResponse({ type: NewClientSecret })
  @ApiErrorResponse('A public client, which has no secret', { public_client: publicClientHasNoSecret() })
  @ApiErrorResponse('No such client', { client_not_found: clientNotFound() })
  async rotateClientSecret(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext, @Param('client_id') clientId: string): Promise<NewClientSecret> {
    const { client, secret } = await this.clients.rotateSecret(user, clientId, origin);
    return NewClientSecret.from(client, secret);
  }

  @Delete(':client_id')
  @Authenticated(ADMIN)
  @HttpCode(204)
  @ApiOperation({ summary: "Delete a client; its tokens stop working at once (superusers)" })
  @ApiNoContentResponse()
  @ApiErrorResponse('No such client', { client_not_found: clientNotFound() })
  async deleteClient(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext, @Param('client_id') clientId: string): Promise<void> {
    await this.clients.remove(user, clientId, origin);
  }
}

/** The scopes as stored: each named once, separated by single spaces. */
export function normalisedScope(scope: string): string {
  return [...new Set(scope.split(' ').filter((name) => name !== ''))].join(' ');
}

/** The client a valid request describes: its scopes normalised, each redirect URI once, in order. */
export function clientRegistration(request: CreateClientRequest): ClientRegistration {
  return {
    name: request.name,
    scope: normalisedScope(request.scope),
    redirectUris: [...new Set(request.redirect_uris ?? [])],
    isPublic: request.public === true,
    firstParty: request.first_party === true,
  };
}
