import { Injectable } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { clientRegistration } from '../../clients/clients.controller.js';
import { ClientsService } from '../../clients/clients.service.js';
import { CreateClientRequest } from '../../clients/dto/create-client-request.dto.js';
import { redirectUriProblem } from '../../clients/redirect-uris.js';
import { AdminCommand, CLI_ACTOR } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';
import { validated } from '../cli-inputs.js';
import { CommandRefused } from '../command-refused.js';

interface CreateClientOptions {
  scopes?: string;
  public?: boolean;
  firstParty?: boolean;
  redirectUris?: string[];
  json?: boolean;
}

/**
 * create-client: registers an OAuth2 client as POST /clients does, and prints its secret, once. A
 * public client gets no secret.
 */
@Command({
  name: 'create-client',
  arguments: '<name>',
  description:
    'Register an OAuth2 client and print its id and, for a confidential client (client_credentials, introspection), its secret, shown only this once',
})
export class CreateClientCommand extends AdminCommand {
  constructor(
    private readonly clients: ClientsService,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([name]: string[], options: CreateClientOptions): Promise<void> {
    const redirectUris = options.redirectUris ?? [];
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new CommandRefused(`--redirect-uri ${uri}: ${problem}`);
    }
    if (options.public && redirectUris.length === 0) throw new CommandRefused('A public client needs at least one --redirect-uri');
    const request = validated(CreateClientRequest, {
      name,
      scope: options.scopes ?? '',
      redirect_uris: redirectUris,
      public: options.public === true,
      first_party: options.firstParty === true,
    });
    await this.database.open();
    const { client, secret } = await this.clients.create(CLI_ACTOR, clientRegistration(request));
    if (options.json) {
      this.say(
        JSON.stringify({
          client_id: client.clientId,
          ...(secret === undefined ? {} : { client_secret: secret }),
          redirect_uris: client.redirectUris,
          public: client.isPublic,
          first_party: client.firstParty,
        }),
      );
      return;
    }
    const kind = [client.isPublic ? 'public' : 'confidential', ...(client.firstParty ? ['first-party'] : [])].join(' ');
    this.say(`Created ${kind} client ${client.name} with scope "${client.scope}".`);
    this.say(`client_id:     ${client.clientId}`);
    for (const uri of client.redirectUris) this.say(`redirect_uri:  ${uri}`);
    if (secret === undefined) {
      this.say('A public client has no secret.');
      return;
    }
    this.say(`client_secret: ${secret}`);
    this.say('The secret is shown only this once: store it now. A new one can be made with POST /clients/{client_id}/secret.');
  }

  @Option({ flags: '--scopes <scopes>', description: 'space-separated scopes the client may ask for: me, items', required: true })
  parseScopes(value: string): string {
    return value;
  }

  @Option({ flags: '--public', description: 'a client that cannot keep a secret (single-page or mobile app): it gets none, and needs a --redirect-uri' })
  parsePublic(): boolean {
    return true;
  }

  @Option({ flags: '--first-party', description: "an application of this service's own operator" })
  parseFirstParty(): boolean {
    return true;
  }

  @Option({
    name: 'redirectUris',
    flags: '--redirect-uri <uri>',
    description: 'where authorization answers may be sent; repeat for more: https, http on a loopback host, or com.example.app:/callback',
  })
  parseRedirectUri(value: string, previous: string[] | undefined): string[] {
    return [...(previous ?? []), value];
  }

  @Option({ flags: '--json', description: 'print one line of JSON: {"client_id": …, "client_secret": …, "redirect_uris": […], "public": …, "first_party": …}' })
  parseJson(): boolean {
    return true;
  }
}

/** delete-client: the client's tokens and credentials stop working (within a second on running instances). */
@Command({ name: 'delete-client', arguments: '<client_id>', description: 'Delete an OAuth2 client: its secret and tokens stop working' })
export class DeleteClientCommand extends AdminCommand {
  constructor(
    private readonly clients: ClientsService,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([clientId]: string[]): Promise<void> {
    await this.database.open();
    await this.clients.remove(CLI_ACTOR, clientId);
    this.say(`Deleted client ${clientId}.`);
  }
}
