import { HttpException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connectAndMigrate, dataSourceOptions } from '../database/data-source.js';
import type { AuditFields, AuditLog } from '../observability/audit-log.js';
import { OAuthClient } from './client.entity.js';
import { hashClientSecret } from './client-credentials.js';
import { ClientsService, type ClientRegistration } from './clients.service.js';

const ACTOR = { username: 'root' };
const CONFIDENTIAL: ClientRegistration = { name: 'billing', scope: 'me items', redirectUris: [], isPublic: false, firstParty: false };
const PUBLIC: ClientRegistration = {
  name: 'mobile',
  scope: 'me',
  redirectUris: ['com.example.app:/callback', 'https://app.example/cb'],
  isPublic: true,
  firstParty: true,
};

async function refusal(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    throw error;
  }
  throw new Error('the call was not refused');
}

describe('ClientsService', () => {
  let dataSource: DataSource;
  let clients: ClientsService;
  let events: { event: string; fields: AuditFields }[];

  beforeEach(async () => {
    dataSource = new DataSource(dataSourceOptions('sqlite::memory:'));
    await connectAndMigrate(dataSource);
    events = [];
    const audit = { record: (event: string, fields: AuditFields) => events.push({ event, fields }) } as unknown as AuditLog;
    clients = new ClientsService(dataSource.getRepository(OAuthClient), audit);
  });

  afterEach(() => dataSource.destroy());

  it('registers a confidential client with a secret, no redirect URIs, not first-party', async () => {
    const { client, secret } = await clients.create(ACTOR, CONFIDENTIAL);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await clients.get(client.clientId)).toMatchObject({ secretHash: hashClientSecret(secret!), redirectUris: [], isPublic: false, firstParty: false });
    expect(await clients.authenticate(client.clientId, secret!)).toMatchObject({ clientId: client.clientId });
  });

  it('registers a public client without a secret, keeping its redirect URIs in order', async () => {
    const { client, secret } = await clients.create(ACTOR, PUBLIC);
    expect(secret).toBeUndefined();
    expect(await clients.get(client.clientId)).toMatchObject({ secretHash: null, redirectUris: PUBLIC.redirectUris, isPublic: true, firstParty: true });
    const [row] = await dataSource.query('SELECT redirect_uris FROM oauth_clients WHERE client_id = ?', [client.clientId]);
    expect(JSON.parse(row.redirect_uris)).toEqual(PUBLIC.redirectUris);
  });

  it('records the new fields in the creation event', async () => {
    const { client } = await clients.create(ACTOR, PUBLIC);
    expect(events).toEqual([
      {
        event: 'admin.client_created',
        fields: { actor: 'root', client_id: client.clientId, name: 'mobile', scope: 'me', redirect_uris: PUBLIC.redirectUris, public: true, first_party: true },
      },
    ]);
  });

  it('never authenticates a public client, whatever secret is presented', async () => {
    const { client } = await clients.create(ACTOR, PUBLIC);
    for (const secret of ['', 'null', 'anything']) expect(await clients.authenticate(client.clientId, secret)).toBeUndefined();
  });

  it('never authenticates a client marked public, even one holding a digest', async () => {
    const { client } = await clients.create(ACTOR, PUBLIC);
    await dataSource.getRepository(OAuthClient).update({ clientId: client.clientId }, { secretHash: hashClientSecret('planted') });
    expect(await clients.authenticate(client.clientId, 'planted')).toBeUndefined();
  });

  it('refuses to give a public client a secret, with 400, and changes nothing', async () => {
    const { client } = await clients.create(ACTOR, PUBLIC);
    expect(await refusal(clients.rotateSecret(ACTOR, client.clientId))).toEqual({ status: 400, body: { detail: 'A public client has no secret' } });
    expect((await clients.get(client.clientId)).secretHash).toBeNull();
    expect(events.map(({ event }) => event)).toEqual(['admin.client_created']);
  });
});
