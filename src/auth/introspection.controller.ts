import { Controller, Header, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { twoClientAuthenticationMethods, ClientAuthentication } from '../clients/client-authentication.js';
import { invalidClient } from '../clients/clients.errors.js';
import { ApiErrorResponse } from '../common/error-responses.js';
import { IntrospectLimit, tooManyIntrospections } from '../throttle/introspect-limit.js';
import { invalidRequest } from './auth-errors.js';
import { Public } from './decorators.js';
import { IntrospectionRequest, IntrospectionResponse } from './dto/introspection.dto.js';
import { IntrospectionFormBody, parameterRepeated, type IntrospectionForm } from './introspection-form.js';
import { IntrospectionService } from './introspection.service.js';

export const tokenToIntrospectMissing = () => invalidRequest('The token to introspect is missing');

const ACTIVE_EXAMPLE: IntrospectionResponse = {
  active: true,
  sub: 'johndoe',
  username: 'johndoe',
  scope: 'me items',
  exp: 1748772000,
  iat: 1748770200,
  sid: '0b6e2f4c-7a51-4d3e-8f9a-3c1d5e7b9a24',
  token_type: 'Bearer',
  iss: 'http://127.0.0.1:8000',
  aud: 'oauth2-password-service',
};

@ApiTags('auth')
@Controller()
export class IntrospectionController {
  constructor(
    private readonly clients: ClientAuthentication,
    private readonly limit: IntrospectLimit,
    private readonly introspection: IntrospectionService,
  ) {}

  @Post('introspect')
  // Not a bearer route: the caller is a client, authenticated here (RFC 6749 §2.3.1).
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'RFC 7662: whether a token is live, and what it says (registered clients only)',
    description:
      'The client authenticates with HTTP Basic or with client_id and client_secret. A live access or refresh token answers its ' +
      'members; anything else (expired, revoked, logged out, its user or client gone, malformed) answers {"active": false}.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: IntrospectionRequest })
  @ApiOkResponse({ type: IntrospectionResponse, examples: { active: { summary: 'A live access token', value: ACTIVE_EXAMPLE }, inactive: { summary: 'Any other token', value: { active: false } } } })
  @ApiErrorResponse('No token to introspect; a parameter sent more than once; client credentials sent two ways at once', {
    token_missing: tokenToIntrospectMissing(),
    parameter_repeated: parameterRepeated('token'),
    two_client_authentication_methods: twoClientAuthenticationMethods(),
  })
  @ApiErrorResponse('A client that is unknown, gave a wrong secret, or none', { invalid_client: invalidClient() })
  @ApiErrorResponse('Too many introspections by this client', { too_many_introspections: tooManyIntrospections(60_000) })
  async introspectToken(@Headers('authorization') authorization: string | undefined, @IntrospectionFormBody() form: IntrospectionForm): Promise<IntrospectionResponse> {
    const client = await this.clients.authenticate(authorization, form);
    await this.limit.count(client.clientId);
    if (!form.token) throw tokenToIntrospectMissing();
    return this.introspection.introspect(form.token);
  }
}
