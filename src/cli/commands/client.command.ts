import { Injectable } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { normalisedScope } from '../../clients/clients.controller.js';
import { ClientsService } from '../../clients/clients.service.js';
import { CreateClientRequest } from '../../clients/dto/create-client-request.dto.js';
import { AdminCommand, CLI_ACTOR } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';
import { validated } from '../cli-inputs.js';

interface CreateClientOptions {
  scopes?: string;
  json?: boolean;
}

/** create-client: registers an OAuth2 client as POST /clients does, and prints its secret, once. */
@Command({
  name: 'create-client',
  arguments: '<name>',
  description: 'Register an OAuth2 client (client_credentials, introspection) and print its id and secret, shown only this once',
})
export class CreateClientCommand extends AdminCommand {
  constructor(
    private readonly clients: ClientsService,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([name]: string[], options: CreateClientOptions): Promise<void> {
    const request = validated(CreateClientRequest, { name, scope: options.scopes ?? '' });
    await this.database.open();
    const { client, secret } = await this.clients.create(CLI_ACTOR, request.name, normalisedScope(request.scope));
    if (options.json) {
      this.say(JSON.stringify({ client_id: client.clientId, client_secret: secret }));
      return;
    }
    this.say(`Created client ${client.name} with scope "${client.scope}".`);
    this.say(`client_id:     ${client.clientId}`);
    this.say(`client_secret: ${secret}`);
    this.say('The secret is shown only this once: store it now. A new one can be made with POST /clients/{client_id}/secret.');
  }

  @Option({ flags: '--scopes <scopes>', description: 'space-separated scopes the client may ask for: me, items', required: true })
  parseScopes(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print one line of JSON: {"client_id": …, "client_secret": …}' })
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
