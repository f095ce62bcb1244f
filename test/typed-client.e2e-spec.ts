// A client generated from the committed openapi.json (openapi-typescript types, openapi-fetch)
// logs in and calls every route, type-checked against the document: the proof that generated REST
// clients can rely on it. Regenerate the types with `npm run openapi:types` after an API change
// (test/openapi-contract.e2e-spec.ts fails until then).
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import type { paths } from './support/api-types.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const asForm = (body: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(body).filter((entry): entry is [string, string] => entry[1] !== undefined));

describe('a client generated from openapi.json', () => {
  let database: TestDatabase;
  let service: TestApp;
  let client: ReturnType<typeof createClient<paths>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: 'chief', FIRST_SUPERUSER_PASSWORD: 'the head of security 1' });
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = service.app.getHttpServer().address() as AddressInfo;
    client = createClient<paths>({ baseUrl: `http://127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const login = async (username: string, password: string, scope = '') => {
    const { data, response } = await client.POST('/token', { body: { username, password, scope }, bodySerializer: asForm, headers: FORM });
    expect(response.status).toBe(200);
    return data!;
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('signs up, logs in, refreshes and reads the account', async () => {
    const signUp = await client.POST('/users/signup', { body: { username: 'typed', password: 'first key of the client', full_name: 'Typed Client' } });
    expect(signUp.data).toEqual({ username: 'typed', email: null, full_name: 'Typed Client', disabled: false });

    const tokens = await login('typed', 'first key of the client');
    expect(tokens.token_type).toBe('bearer');
    const refreshed = await client.POST('/token', { body: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: '' }, bodySerializer: asForm, headers: FORM });
    expect(refreshed.data?.scope).toBe('me items');

    const headers = bearer(refreshed.data!.access_token);
    expect((await client.GET('/users/me', { headers })).data?.username).toBe('typed');
    // A new address waits for its verification link: the account still shows none, the request shows it pending.
    expect((await client.PATCH('/users/me', { headers, body: { email: 'typed@example.com' } })).data?.email).toBeNull();
    expect((await client.GET('/users/me/email', { headers })).data).toEqual({ email: null, verified: false, pending_email: 'typed@example.com' });
    expect((await client.GET('/protected', { headers })).data).toEqual({ message: 'Hello, authenticated user!' });
    expect((await client.GET('/users/me/items', { headers })).data).toEqual([]);
  });

  it('manages items', async () => {
    const headers = bearer((await login('typed', 'first key of the client')).access_token);
    const created = await client.POST('/items', { headers, body: { item_id: 'typed-1', title: 'Typed', description: 'from a generated client' } });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect((await client.GET('/items/{id}', { headers, params: { path: { id } } })).data?.title).toBe('Typed');
    expect((await client.PATCH('/items/{id}', { headers, params: { path: { id } }, body: { title: 'Typed again' } })).data?.title).toBe('Typed again');
    expect((await client.GET('/items', { headers, params: { query: { skip: 0, limit: 10 } } })).data?.count).toBe(1);
    expect((await client.DELETE('/items/{id}', { headers, params: { path: { id } } })).data).toEqual({ message: 'Item deleted successfully' });
    const missing = await client.GET('/items/{id}', { headers, params: { path: { id } } });
    expect([missing.response.status, missing.error]).toEqual([404, { detail: 'Item not found' }]);
  });

  it('lists and ends sessions, logs out and revokes', async () => {
    const first = await login('typed', 'first key of the client');
    const second = await login('typed', 'first key of the client');
    const headers = bearer(first.access_token);
    const sessions = await client.GET('/users/me/sessions', { headers });
    expect(sessions.data!.length).toBeGreaterThanOrEqual(2);
    const other = sessions.data!.find((session) => !session.current)!;
    expect((await client.DELETE('/users/me/sessions/{sid}', { headers, params: { path: { sid: other.id } } })).response.status).toBe(204);
    expect((await client.POST('/revoke', { body: { token: second.refresh_token }, bodySerializer: asForm, headers: FORM })).response.status).toBe(200);
    expect((await client.POST('/logout', { headers })).response.status).toBe(204);
    const third = await login('typed', 'first key of the client');
    expect((await client.DELETE('/users/me/sessions', { headers: bearer(third.access_token) })).response.status).toBe(204);
  });

  it('administers users as a superuser', async () => {
    const headers = bearer((await login('chief', 'the head of security 1', 'admin me items')).access_token);
    expect((await client.POST('/users', { headers, body: { username: 'managed', password: 'first key of the other user' } })).response.status).toBe(201);
    expect((await client.GET('/users', { headers, params: { query: { skip: 0, limit: 100 } } })).data?.data.some((user) => user.username === 'managed')).toBe(true);
    const path = { username: 'managed' };
    expect((await client.GET('/users/{username}', { headers, params: { path } })).data?.is_superuser).toBe(false);
    expect((await client.PATCH('/users/{username}', { headers, params: { path }, body: { disabled: true } })).data?.disabled).toBe(true);
    expect((await client.DELETE('/users/{username}', { headers, params: { path } })).data).toEqual({ message: 'User deleted successfully' });
  });

  it('changes the password, deletes the account, and reads health', async () => {
    const headers = bearer((await login('typed', 'first key of the client')).access_token);
    const changed = await client.PATCH('/users/me/password', { headers, body: { current_password: 'first key of the client', new_password: 'second key of the client' } });
    expect(changed.data).toEqual({ message: 'Password updated successfully' });
    const again = bearer((await login('typed', 'second key of the client')).access_token);
    expect((await client.DELETE('/users/me', { headers: again, body: { current_password: 'second key of the client' } })).data).toEqual({ message: 'User deleted successfully' });
    expect((await client.GET('/health/live')).data?.status).toBe('ok');
    expect((await client.GET('/health/ready')).data?.status).toBe('ok');
  });
});
