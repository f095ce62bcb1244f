import type { HttpException } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import type { OAuthClient } from './client.entity.js';
import { basicCredentialsHeader, hashClientSecret, secretMatches } from './client-credentials.js';
import { ClientAuthentication, presentedClientCredentials } from './client-authentication.js';
import type { ClientsService } from './clients.service.js';

function refusal(present: () => unknown): { status: number; body: unknown; headers?: Record<string, string> } {
  try {
    present();
  } catch (error) {
    const exception = error as HttpException;
    return { status: exception.getStatus(), body: exception.getResponse(), headers: error instanceof HttpErrorWithHeaders ? error.headers : undefined };
  }
  throw new Error('accepted');
}

const INVALID_CLIENT = {
  status: 401,
  body: { detail: 'Invalid client credentials', error: 'invalid_client' },
  headers: { 'WWW-Authenticate': 'Basic realm="oauth2-clients"' },
};

describe('presentedClientCredentials', () => {
  it('reads HTTP Basic', () => {
    expect(presentedClientCredentials(basicCredentialsHeader('client~a', 's'), {})).toEqual({ clientId: 'client~a', clientSecret: 's' });
  });

  it('reads the form fields', () => {
    expect(presentedClientCredentials(undefined, { client_id: 'client~a', client_secret: 's' })).toEqual({ clientId: 'client~a', clientSecret: 's' });
  });

  it('ignores another Authorization scheme', () => {
    expect(presentedClientCredentials('Bearer x.y.z', { client_id: 'client~a', client_secret: 's' })).toEqual({ clientId: 'client~a', clientSecret: 's' });
  });

  it('answers undefined when there are none', () => {
    expect(presentedClientCredentials(undefined, {})).toBeUndefined();
  });

  it('refuses Basic and form fields at once with 400 invalid_request', () => {
    expect(refusal(() => presentedClientCredentials(basicCredentialsHeader('client~a', 's'), { client_id: 'client~a' }))).toEqual({
      status: 400,
      body: { detail: 'Client credentials were sent both in the Authorization header and in the form', error: 'invalid_request' },
      headers: undefined,
    });
  });

  it('refuses an unreadable Basic header with 401 invalid_client and a Basic challenge', () => {
    expect(refusal(() => presentedClientCredentials('Basic %%%', {}))).toEqual(INVALID_CLIENT);
  });

  it('refuses a form id without its secret, or a secret without its id, with 401 invalid_client', () => {
    expect(refusal(() => presentedClientCredentials(undefined, { client_id: 'client~a' }))).toEqual(INVALID_CLIENT);
    expect(refusal(() => presentedClientCredentials(undefined, { client_secret: 's' }))).toEqual(INVALID_CLIENT);
  });
});

describe('ClientAuthentication', () => {
  const CLIENT_ID = 'client~0123456789abcdef01234567';
  const SECRET = 'the right secret';

  /** A ClientsService holding one client, counting the secret checks it makes. */
  function clientsHolding(client: OAuthClient | null) {
    const clients = {
      stored: client,
      secretChecks: 0,
      findForToken: async (clientId: string) => (clients.stored?.clientId === clientId ? clients.stored : null),
      authenticate: async (clientId: string, secret: string) => {
        clients.secretChecks += 1;
        const found = await clients.findForToken(clientId);
        return secretMatches(secret, found?.secretHash) && !found?.isPublic ? (found ?? undefined) : undefined;
      },
    };
    return clients;
  }

  const registered = (secret: string) => ({ clientId: CLIENT_ID, secretHash: hashClientSecret(secret) }) as OAuthClient;
  const header = (secret: string) => basicCredentialsHeader(CLIENT_ID, secret);

  it('checks a presentation that authenticated once only, within the second', async () => {
    const clients = clientsHolding(registered(SECRET));
    const authentication = new ClientAuthentication(clients as unknown as ClientsService);
    for (let i = 0; i < 3; i += 1) expect((await authentication.authenticate(header(SECRET), {})).clientId).toBe(CLIENT_ID);
    expect(clients.secretChecks).toBe(1);
    expect((await authentication.authenticate(undefined, { client_id: CLIENT_ID, client_secret: SECRET })).clientId).toBe(CLIENT_ID);
    expect(clients.secretChecks).toBe(2);
  });

  it('checks a failing presentation every time', async () => {
    const clients = clientsHolding(registered(SECRET));
    const authentication = new ClientAuthentication(clients as unknown as ClientsService);
    for (let i = 0; i < 3; i += 1) await expect(authentication.authenticate(header('wrong'), {})).rejects.toMatchObject({ status: 401 });
    expect(clients.secretChecks).toBe(3);
  });

  it('refuses a remembered presentation once the client has another secret, or is gone', async () => {
    const clients = clientsHolding(registered(SECRET));
    const authentication = new ClientAuthentication(clients as unknown as ClientsService);
    await authentication.authenticate(header(SECRET), {});
    clients.stored = registered('the new secret');
    await expect(authentication.authenticate(header(SECRET), {})).rejects.toMatchObject({ status: 401 });
    expect((await authentication.authenticate(header('the new secret'), {})).clientId).toBe(CLIENT_ID);
    clients.stored = null;
    await expect(authentication.authenticate(header('the new secret'), {})).rejects.toMatchObject({ status: 401 });
  });

  const publicClient = { clientId: CLIENT_ID, secretHash: null, isPublic: true } as OAuthClient;

  it('refuses a public client with 401 invalid_client, with or without a secret', async () => {
    const authentication = new ClientAuthentication(clientsHolding(publicClient) as unknown as ClientsService);
    for (const form of [{ client_id: CLIENT_ID, client_secret: 'anything' }, { client_id: CLIENT_ID }]) {
      await expect(authentication.authenticate(undefined, form)).rejects.toMatchObject({ status: 401, response: INVALID_CLIENT.body });
    }
    await expect(authentication.authenticate(header('anything'), {})).rejects.toMatchObject({ status: 401, response: INVALID_CLIENT.body });
  });

  it('refuses a password grant that names a public client with 401 invalid_client', async () => {
    const authentication = new ClientAuthentication(clientsHolding(publicClient) as unknown as ClientsService);
    for (const [authorization, form] of [
      [undefined, { client_id: CLIENT_ID }],
      [undefined, { client_id: CLIENT_ID, client_secret: 'anything' }],
      [header('anything'), {}],
    ] as const) {
      await expect(authentication.authenticateIfRegistered(authorization, form)).rejects.toMatchObject({ status: 401, response: INVALID_CLIENT.body });
    }
  });

  it('leaves alone a password grant that names no registered client', async () => {
    const authentication = new ClientAuthentication(clientsHolding(publicClient) as unknown as ClientsService);
    expect(await authentication.authenticateIfRegistered(undefined, { client_id: 'my-app' })).toBeUndefined();
  });

  it('never takes credentials sent two ways at once, even ones that authenticated alone', async () => {
    const authentication = new ClientAuthentication(clientsHolding(registered(SECRET)) as unknown as ClientsService);
    await authentication.authenticate(header(SECRET), {});
    await expect(authentication.authenticate(header(SECRET), { client_id: CLIENT_ID, client_secret: SECRET })).rejects.toMatchObject({ status: 400 });
  });
});
