// Every example the OpenAPI document shows, provoked against the real service and compared with the
// answer it really gives. An example is what Swagger UI and ReDoc display for a response: its own
// `example` or `examples`, or else the one they build from the schema's property examples. The
// table below says how to provoke each; the document may not show an example the table does not
// cover, nor the table keep a case the document no longer shows.
//
// A case is named "METHOD /path status", and " name" after it for a response's named examples (as
// every error response has). Bodies are compared whole; where a body holds what cannot be foreseen
// (a token, an id, a date), the case names the fields that may differ, compared by type only.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { AuthorizationCodes } from '../src/auth/authorization/authorization-codes.js';
import { HashQueue } from '../src/password/hash-queue.js';
import { AccountTokens } from '../src/users/account-tokens.js';
import { UsersService } from '../src/users/users.service.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

// ---------------------------------------------------------------------------------------------
// The examples the document shows

interface Schema {
  $ref?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
}

interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}

interface Operation {
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, { required?: boolean }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface DocumentedExample {
  status: number;
  value: unknown;
  /** Headers the response says are always sent. */
  requiredHeaders: string[];
}

/** The example Swagger UI builds from a schema: each level's own example, else one from its parts. */
function exampleOf(schema: Schema, document: Document): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.$ref) return exampleOf(document.components.schemas[schema.$ref.split('/').pop()!], document);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => exampleOf(part, document)));
  if (schema.items) return [exampleOf(schema.items, document)];
  if (schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, exampleOf(property, document)]));
  }
  throw new Error(`No example in or under the schema ${JSON.stringify(schema)}`);
}

function documentedExamples(document: Document): Map<string, DocumentedExample> {
  const found = new Map<string, DocumentedExample>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const json = response.content?.['application/json'];
        if (!json) continue;
        const id = `${method.toUpperCase()} ${path} ${status}`;
        const requiredHeaders = Object.entries(response.headers ?? {}).filter(([, header]) => header.required).map(([name]) => name);
        const values: [string, unknown][] = json.examples
          ? Object.entries(json.examples).map(([key, example]) => [`${id} ${key}`, example.value])
          : [[id, json.example !== undefined ? json.example : exampleOf(json.schema!, document)]];
        for (const [name, value] of values) found.set(name, { status: Number(status), value, requiredHeaders });
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The services the cases run against. One at a time: Passport keeps its strategies in one registry
// per process, so two applications in one process would check each other's logins and tokens.

const SUPERUSER = { username: 'chief', password: 'the head of security 1' };
const SERVICE_ENV = {
  main: {},
  /** Limits low enough to reach in a few requests, and one hashing worker with no queue behind it. */
  limits: {
    LOGIN_MAX_FAILURES: '1',
    LOGIN_ADDRESS_MAX_FAILURES: '100',
    PASSWORD_CHECKS_PER_ADDRESS: '2',
    SIGNUP_MAX_PER_ADDRESS: '1',
    HASH_CONCURRENCY: '1',
    HASH_QUEUE_LIMIT: '0',
    INTROSPECT_MAX_PER_CLIENT: '1',
  },
  closed: { SIGNUP_ENABLED: 'false' },
  /** Production without SMTP_URL: the flows that need mail are off. */
  mailless: { NODE_ENV: 'production', DEMO_DATA: 'false', SMTP_URL: '', PUBLIC_URL: 'https://id.example.com' },
  /** Its database is closed by the case that uses it. */
  down: {},
  /** Signing with a key pair, which the JWK Set publishes. */
  es256: { JWT_ALGORITHM: 'ES256' },
};
type ServiceName = keyof typeof SERVICE_ENV;
const SERVICES = Object.keys(SERVICE_ENV) as ServiceName[];

let running: { name: ServiceName; service: TestApp; database: TestDatabase } | undefined;

async function stopService(): Promise<void> {
  if (!running) return;
  const { service, database } = running;
  running = undefined;
  cachedTokens.clear();
  inactive = undefined;
  registered = undefined;
  await service.close();
  await database.drop();
}

/** The service `name`, started (and any other stopped) if it is not the one running. */
async function useService(name: ServiceName): Promise<TestApp> {
  if (running?.name === name) return running.service;
  await stopService();
  const database = await createTestDatabase();
  const service = await startApp(database, {
    FIRST_SUPERUSER: SUPERUSER.username,
    FIRST_SUPERUSER_PASSWORD: SUPERUSER.password,
    // Each case that counts per address sends its own X-Forwarded-For.
    TRUST_PROXY: '127.0.0.1',
    ...SERVICE_ENV[name],
  });
  running = { name, service, database };
  return service;
}

const http = () => running!.service.http;

// ---------------------------------------------------------------------------------------------
// Helpers the cases share, on the service running

let addresses = 0;
/** A client address no case has used, for the limits counted per address. */
const freshAddress = () => `198.51.100.${++addresses}`;

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface LoginOptions {
  scope?: string;
  from?: string;
  userAgent?: string;
}

async function tokens(username: string, password: string, options: LoginOptions = {}) {
  const request = http().post('/token').set('X-Forwarded-For', options.from ?? freshAddress());
  if (options.userAgent) request.set('User-Agent', options.userAgent);
  const response = await request.type('form').send({ username, password, scope: options.scope ?? '' });
  expect(response.status).toBe(200);
  return response.body as { access_token: string; refresh_token: string };
}

const cachedTokens = new Map<string, Promise<string>>();
/** An access token of `username` (a demo user, password "secret", or the superuser), made once per scope. */
function token(username: string, scope = ''): Promise<string> {
  const key = `${username} ${scope}`;
  const password = username === SUPERUSER.username ? SUPERUSER.password : 'secret';
  if (!cachedTokens.has(key)) cachedTokens.set(key, tokens(username, password, { scope }).then((issued) => issued.access_token));
  return cachedTokens.get(key)!;
}

const asJohndoe = async () => bearer(await token('johndoe'));
const asAdmin = async () => bearer(await token(SUPERUSER.username, 'admin'));

let users = 0;
/** A new account of its own, for a case that changes, deletes or locks it. */
async function newUser(): Promise<{ username: string; password: string }> {
  const user = { username: `user-${++users}`, password: 'a fine password' };
  await http().post('/users').set(await asAdmin()).send(user).expect(201);
  return user;
}

async function tokenOfNewUser(options: LoginOptions = {}) {
  const user = await newUser();
  return { ...user, token: (await tokens(user.username, user.password, options)).access_token };
}

let inactive: Promise<string> | undefined;
/** The token of a user disabled after logging in: tokens are kept, and answer "Inactive user". */
function inactiveToken(): Promise<string> {
  inactive ??= (async () => {
    const { username, token: issued } = await tokenOfNewUser();
    await http().patch(`/users/${username}`).set(await asAdmin()).send({ disabled: true }).expect(200);
    return issued;
  })();
  return inactive;
}

/** `count` logins of `user` from `from`: what uses up PASSWORD_CHECKS_PER_ADDRESS there. Returns the last token. */
async function logins(user: { username: string; password: string }, from: string, count: number): Promise<string> {
  let issued = '';
  for (let i = 0; i < count; i += 1) issued = (await tokens(user.username, user.password, { from })).access_token;
  return issued;
}

/** Sends `request` while the only hashing worker is busy, and nothing may wait for it. */
async function whileHashingIsBusy(request: () => Promise<Response>): Promise<Response> {
  const queue = running!.service.app.get(HashQueue);
  let release!: () => void;
  const held = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
  try {
    return await request();
  } finally {
    release();
    await held;
  }
}

/** johndoe's demo item Foo, with the description the documented item has; its id. */
async function johndoesFoo(): Promise<string> {
  const listed = await http().get('/users/me/items').set(await asJohndoe()).expect(200);
  const foo = (listed.body as { id: string; item_id: string }[]).find((item) => item.item_id === 'Foo');
  const described = { item_id: 'Foo', title: 'Foo', description: 'There goes my hero' };
  if (foo) {
    await http().patch(`/items/${foo.id}`).set(await asJohndoe()).send(described).expect(200);
    return foo.id;
  }
  return (await http().post('/items').set(await asJohndoe()).send(described).expect(201)).body.id as string;
}

/** A live token of `purpose` for `username`, as the link mailed to them carries it. */
async function mailedToken(username: string, purpose: 'reset' | 'verify', email: string | null = null): Promise<string> {
  const { app } = running!.service;
  const user = await app.get(UsersService).findByUsername(username);
  return app.get(AccountTokens).issue(app.get(DataSource).manager, user!.id, purpose, 60_000, email);
}

/** A new account with an unverified address, and its token. */
async function withUnverifiedAddress(email: string) {
  const user = await newUser();
  await http().patch(`/users/${user.username}`).set(await asAdmin()).send({ email }).expect(200);
  return { ...user, token: (await tokens(user.username, user.password)).access_token };
}

interface Registered {
  client_id: string;
  client_secret: string;
}

/** The documented client: billing-service, allowed `me items`, with one redirect URI. */
const DOCUMENTED_CLIENT = { name: 'billing-service', scope: 'me items', redirect_uris: ['https://billing.example/oauth/callback'] };

/** Registers an OAuth2 client as the documented one is. */
async function registerClient(): Promise<Registered> {
  const response = await http().post('/clients').set(await asAdmin()).send(DOCUMENTED_CLIENT).expect(201);
  return response.body as Registered;
}

let registered: Promise<Registered> | undefined;
/** The client of the running service, registered once. */
function client(): Promise<Registered> {
  registered ??= registerClient();
  return registered;
}

const basic = ({ client_id, client_secret }: Registered) => ({ Authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` });

/**
 * An authorization_code exchange by the documented client of a code issued to it for johndoe (as
 * the authorization endpoint issues one), with `fields` replacing the right ones (undefined: left out).
 */
async function exchangeCode(fields: Record<string, string | undefined>) {
  const registeredClient = await client();
  const verifier = randomBytes(32).toString('base64url');
  const johndoe = await running!.service.app.get(UsersService).findByUsername('johndoe');
  const code = await running!.service.app.get(AuthorizationCodes).issue({
    clientId: registeredClient.client_id,
    userId: johndoe!.id,
    redirectUri: DOCUMENTED_CLIENT.redirect_uris[0],
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    scopes: ['me'],
  });
  const form = { grant_type: 'authorization_code', code, redirect_uri: DOCUMENTED_CLIENT.redirect_uris[0], code_verifier: verifier, ...fields };
  const sent = Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined));
  return http().post('/token').set(basic(registeredClient)).type('form').send(sent);
}

/** A token of the client's own (client_credentials). */
async function clientToken(): Promise<string> {
  const response = await http().post('/token').set(basic(await client())).type('form').send({ grant_type: 'client_credentials' }).expect(200);
  return response.body.access_token as string;
}

const UNKNOWN_CLIENT = 'client~000000000000000000000000';

/** Makes sure no account is called `username`. */
async function withoutUser(username: string): Promise<void> {
  const answer = await http().delete(`/users/${username}`).set(await asAdmin());
  expect([200, 404]).toContain(answer.status);
}

// ---------------------------------------------------------------------------------------------
// The table: each documented example, and how to provoke it

interface Case {
  /** The service to provoke it on: `main` unless said otherwise. */
  on?: ServiceName;
  request: () => Promise<Response>;
  /** What the body must equal, from the example: the example itself unless said otherwise. */
  expected?: (example: any) => unknown;
}

/**
 * `example` with the values at `paths` (dotted; each must be in the example) replaced by "any value
 * of the same type": the parts of a body no example can foresee.
 */
function varying(example: any, ...paths: string[]): unknown {
  const copy = structuredClone(example);
  for (const path of paths) {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((node, key) => node?.[key], copy);
    if (parent?.[last] === undefined) throw new Error(`The example has no ${path}: ${JSON.stringify(example)}`);
    parent[last] = expect.any(parent[last].constructor);
  }
  return copy;
}

/** The protected operations, a path to call each on, and the scope each needs. */
const PROTECTED: Record<string, { path: string; needs?: 'me' | 'items' | 'admin' }> = {
  'GET /users/me': { path: '/users/me', needs: 'me' },
  'PATCH /users/me': { path: '/users/me', needs: 'me' },
  'DELETE /users/me': { path: '/users/me', needs: 'me' },
  'PATCH /users/me/password': { path: '/users/me/password', needs: 'me' },
  'GET /users/me/sessions': { path: '/users/me/sessions', needs: 'me' },
  'GET /users/me/email': { path: '/users/me/email', needs: 'me' },
  'POST /users/me/email/verification': { path: '/users/me/email/verification', needs: 'me' },
  'DELETE /users/me/sessions': { path: '/users/me/sessions', needs: 'me' },
  'DELETE /users/me/sessions/{sid}': { path: `/users/me/sessions/${randomUUID()}`, needs: 'me' },
  'POST /users': { path: '/users', needs: 'admin' },
  'GET /users': { path: '/users', needs: 'admin' },
  'GET /users/{username}': { path: '/users/johndoe', needs: 'admin' },
  'PATCH /users/{username}': { path: '/users/johndoe', needs: 'admin' },
  'DELETE /users/{username}': { path: '/users/johndoe', needs: 'admin' },
  'GET /users/me/items': { path: '/users/me/items', needs: 'items' },
  'POST /items': { path: '/items', needs: 'items' },
  'GET /items': { path: '/items', needs: 'items' },
  'GET /items/{id}': { path: `/items/${randomUUID()}`, needs: 'items' },
  'PATCH /items/{id}': { path: `/items/${randomUUID()}`, needs: 'items' },
  'DELETE /items/{id}': { path: `/items/${randomUUID()}`, needs: 'items' },
  'GET /protected': { path: '/protected' },
  'POST /logout': { path: '/logout' },
  'POST /clients': { path: '/clients', needs: 'admin' },
  'GET /clients': { path: '/clients', needs: 'admin' },
  'POST /clients/{client_id}/secret': { path: `/clients/${UNKNOWN_CLIENT}/secret`, needs: 'admin' },
  'DELETE /clients/{client_id}': { path: `/clients/${UNKNOWN_CLIENT}`, needs: 'admin' },
};

/** A request to a protected operation, with `authorization` as its Authorization header if given. */
function call(operation: string, authorization?: Record<string, string>): Promise<Response> {
  const method = operation.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  const request = http()[method](PROTECTED[operation].path);
  return authorization ? request.set(authorization) : request;
}

/** The answers of the access rules, alike on every protected operation; checked before any input is read. */
function accessCases(): Record<string, Case> {
  const cases: Record<string, Case> = {};
  for (const [operation, { needs }] of Object.entries(PROTECTED)) {
    cases[`${operation} 401 not_authenticated`] = { request: () => call(operation) };
    cases[`${operation} 401 invalid_token`] = { request: () => call(operation, { Authorization: 'Bearer not-a-token' }) };
    cases[`${operation} 400 inactive_user`] = { request: async () => call(operation, bearer(await inactiveToken())) };
    cases[`${operation} 403 client_token`] = { request: async () => call(operation, bearer(await clientToken())) };
    if (needs === 'me' || needs === 'items') {
      const otherScope = needs === 'me' ? 'items' : 'me';
      cases[`${operation} 403 missing_scope`] = { request: async () => call(operation, bearer(await token('johndoe', otherScope))) };
    }
    if (needs === 'admin') {
      cases[`${operation} 403 not_superuser`] = { request: async () => call(operation, await asJohndoe()) };
      cases[`${operation} 403 missing_scope`] = { request: async () => call(operation, bearer(await token(SUPERUSER.username))) };
    }
  }
  return cases;
}

/**
 * The limits a re-entered password meets, alike wherever one is asked for (`send` makes the request
 * with the given token, client address and current password).
 */
function passwordRecheckCases(
  operation: string,
  send: (token: string, from: string, currentPassword: string) => Promise<Response>,
): Record<string, Case> {
  return {
    [`${operation} 429 too_many_failures`]: {
      on: 'limits',
      request: async () => {
        const { token: issued } = await tokenOfNewUser();
        const from = freshAddress();
        expect((await send(issued, from, 'wrong')).status).toBe(400);
        return send(issued, from, 'wrong');
      },
    },
    [`${operation} 429 too_many_checks`]: {
      on: 'limits',
      request: async () => {
        const user = await newUser();
        const from = freshAddress();
        return send(await logins(user, from, 2), from, user.password);
      },
    },
    [`${operation} 503 server_busy`]: {
      on: 'limits',
      request: async () => {
        const { password, token: issued } = await tokenOfNewUser();
        return whileHashingIsBusy(() => send(issued, freshAddress(), password));
      },
    },
  };
}

/** The sign-up the request body's example documents. */
const SIGN_UP = { username: 'janedoe', password: 'correct horse', email: 'jane@example.com', full_name: 'Jane Doe' };
const login = (form: Record<string, string>, from = freshAddress()) => http().post('/token').set('X-Forwarded-For', from).type('form').send(form);

const CASES: Record<string, Case> = {
  ...accessCases(),

  // Logging in and out
  'POST /token 200': {
    request: () => login({ username: 'johndoe', password: 'secret' }),
    expected: (example) => varying(example, 'access_token', 'refresh_token'),
  },
  'POST /token 400 inactive_user': { request: () => login({ username: 'eve', password: 'secret' }) },
  'POST /token 400 invalid_scope': { request: () => login({ username: 'johndoe', password: 'secret', scope: 'write' }) },
  'POST /token 400 scope_beyond_session': {
    request: async () => {
      const { refresh_token } = await tokens('johndoe', 'secret', { scope: 'me' });
      return login({ grant_type: 'refresh_token', refresh_token, scope: 'items' });
    },
  },
  'POST /token 400 invalid_grant': { request: () => login({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }) },
  'POST /token 400 invalid_authorization_code': { request: async () => exchangeCode({ code: 'not-a-code' }) },
  'POST /token 400 redirect_uri_mismatch': { request: async () => exchangeCode({ redirect_uri: 'https://billing.example/other' }) },
  'POST /token 400 code_verifier_mismatch': { request: async () => exchangeCode({ code_verifier: 'x'.repeat(43) }) },
  'POST /token 400 code_verifier_missing': { request: async () => exchangeCode({ code_verifier: undefined }) },
  'POST /token 401 incorrect_credentials': { request: () => login({ username: 'johndoe', password: 'wrong' }) },
  'POST /token 422 missing_fields': { request: () => login({ grant_type: 'password' }) },
  'POST /token 429 too_many_failures': {
    on: 'limits',
    request: async () => {
      const { username } = await newUser();
      const from = freshAddress();
      expect((await login({ username, password: 'wrong' }, from)).status).toBe(401);
      return login({ username, password: 'wrong' }, from);
    },
  },
  'POST /token 429 too_many_checks': {
    on: 'limits',
    request: async () => {
      const user = await newUser();
      const from = freshAddress();
      await logins(user, from, 2);
      return login(user, from);
    },
  },
  'POST /token 503 server_busy': {
    on: 'limits',
    request: () => whileHashingIsBusy(() => login({ username: 'johndoe', password: 'secret' })),
  },
  'POST /revoke 200': { request: () => http().post('/revoke').type('form').send({ token: 'not-a-token' }) },
  'POST /revoke 400 token_missing': { request: () => http().post('/revoke').type('form').send({ token_type_hint: 'refresh_token' }) },

  // Your account
  'POST /users/signup 201': {
    request: async () => {
      await withoutUser(SIGN_UP.username);
      return http().post('/users/signup').send(SIGN_UP);
    },
  },
  'POST /users/signup 403 signup_closed': { on: 'closed', request: () => http().post('/users/signup').send({ username: 'closed-door', password: 'a fine password' }) },
  'POST /users/signup 409 username_taken': { request: () => http().post('/users/signup').send({ username: 'johndoe', password: 'a fine password' }) },
  'POST /users/signup 422 invalid_fields': { request: () => http().post('/users/signup').send({ username: 'jd', password: 'secret' }) },
  'POST /users/signup 409 username_lookalike': { request: () => http().post('/users/signup').send({ username: 'j0hndoe', password: 'a fine password' }) },
  'POST /users/signup 422 reserved_username': { request: () => http().post('/users/signup').send({ username: 'admin', password: 'a fine password' }) },
  'POST /users/signup 422 mixed_scripts': { request: () => http().post('/users/signup').send({ username: '\u0430lice', password: 'a fine password' }) },
  'POST /users/signup 422 common_password': { request: () => http().post('/users/signup').send({ username: 'janedoe', password: 'password' }) },
  'POST /users/signup 422 password_contains_username': { request: () => http().post('/users/signup').send({ username: 'janedoe', password: 'JaneDoe in 2026' }) },
  'POST /users/signup 429 too_many_signups': {
    on: 'limits',
    request: async () => {
      const from = freshAddress();
      await http().post('/users/signup').set('X-Forwarded-For', from).send({ username: 'first-sign-up', password: 'a fine password' }).expect(201);
      return http().post('/users/signup').set('X-Forwarded-For', from).send({ username: 'second-sign-up', password: 'a fine password' });
    },
  },
  'POST /users/signup 503 server_busy': {
    on: 'limits',
    request: () => whileHashingIsBusy(() => http().post('/users/signup').send({ username: 'busy-day', password: 'a fine password' })),
  },
  'GET /users/me 200': { request: async () => http().get('/users/me').set(await asJohndoe()) },
  'PATCH /users/me 200': { request: async () => http().patch('/users/me').set(await asJohndoe()).send({ full_name: 'John Doe' }) },
  'PATCH /users/me 422 invalid_fields': { request: async () => http().patch('/users/me').set(await asJohndoe()).send({ email: 'johndoe' }) },
  'PATCH /users/me/password 200': {
    request: async () => {
      const { password, token: issued } = await tokenOfNewUser();
      return http().patch('/users/me/password').set(bearer(issued)).send({ current_password: password, new_password: 'another fine password' });
    },
  },
  'PATCH /users/me/password 400 incorrect_password': {
    request: async () => http().patch('/users/me/password').set(await asJohndoe()).send({ current_password: 'wrong', new_password: 'another fine password' }),
  },
  'PATCH /users/me/password 422 invalid_fields': {
    request: async () => http().patch('/users/me/password').set(await asJohndoe()).send({ current_password: 'secret', new_password: 'short' }),
  },
  'PATCH /users/me/password 422 common_password': {
    request: async () => http().patch('/users/me/password').set(await asJohndoe()).send({ current_password: 'secret', new_password: '12345678' }),
  },
  'PATCH /users/me/password 422 password_contains_username': {
    request: async () => http().patch('/users/me/password').set(await asJohndoe()).send({ current_password: 'secret', new_password: 'still johndoe 2' }),
  },
  ...passwordRecheckCases('PATCH /users/me/password', (issued, from, current_password) =>
    http().patch('/users/me/password').set('X-Forwarded-For', from).set(bearer(issued)).send({ current_password, new_password: 'another fine password' }),
  ),
  'DELETE /users/me 200': {
    request: async () => {
      const { password, token: issued } = await tokenOfNewUser();
      return http().delete('/users/me').set(bearer(issued)).send({ current_password: password });
    },
  },
  'DELETE /users/me 400 incorrect_password': { request: async () => http().delete('/users/me').set(await asJohndoe()).send({ current_password: 'wrong' }) },
  'DELETE /users/me 409 last_superuser': {
    request: async () => http().delete('/users/me').set(bearer(await token(SUPERUSER.username))).send({ current_password: SUPERUSER.password }),
  },
  'DELETE /users/me 422 missing_password': { request: async () => http().delete('/users/me').set(await asJohndoe()).send({}) },
  ...passwordRecheckCases('DELETE /users/me', (issued, from, current_password) =>
    http().delete('/users/me').set('X-Forwarded-For', from).set(bearer(issued)).send({ current_password }),
  ),
  'GET /users/me/sessions 200': {
    request: async () => {
      // From the documented session's address and browser.
      const { token: issued } = await tokenOfNewUser({
        from: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      });
      return http().get('/users/me/sessions').set(bearer(issued));
    },
    expected: (example) => varying(example, '0.id', '0.created_at', '0.last_used_at', '0.expires_at'),
  },
  'DELETE /users/me/sessions/{sid} 404 session_not_found': { request: async () => http().delete(`/users/me/sessions/${randomUUID()}`).set(await asJohndoe()) },

  // Accounts of others
  'POST /users 201': {
    request: async () => {
      await withoutUser(SIGN_UP.username);
      return http().post('/users').set(await asAdmin()).send({ ...SIGN_UP, is_superuser: false, disabled: false });
    },
  },
  'POST /users 409 username_taken': { request: async () => http().post('/users').set(await asAdmin()).send({ username: 'johndoe', password: 'a fine password' }) },
  'POST /users 422 invalid_fields': { request: async () => http().post('/users').set(await asAdmin()).send({ username: 'jd', password: 'secret' }) },
  'POST /users 409 username_lookalike': { request: async () => http().post('/users').set(await asAdmin()).send({ username: 'j0hndoe', password: 'a fine password' }) },
  'POST /users 422 reserved_username': { request: async () => http().post('/users').set(await asAdmin()).send({ username: 'admin', password: 'a fine password' }) },
  'POST /users 422 mixed_scripts': { request: async () => http().post('/users').set(await asAdmin()).send({ username: '\u0430lice', password: 'a fine password' }) },
  'POST /users 422 common_password': { request: async () => http().post('/users').set(await asAdmin()).send({ username: 'janedoe', password: 'password' }) },
  'POST /users 422 password_contains_username': {
    request: async () => http().post('/users').set(await asAdmin()).send({ username: 'janedoe', password: 'JaneDoe in 2026' }),
  },
  'POST /users 503 server_busy': {
    on: 'limits',
    request: async () => {
      const admin = await asAdmin();
      return whileHashingIsBusy(() => http().post('/users').set(admin).send({ username: 'busy-admin', password: 'a fine password' }));
    },
  },
  'GET /users 200': {
    request: async () => http().get('/users').set(await asAdmin()),
    // Every account is listed, the documented one among them.
    expected: (example) => ({ data: expect.arrayContaining(example.data), count: expect.any(Number) }),
  },
  'GET /users 422 invalid_query': { request: async () => http().get('/users?limit=1000').set(await asAdmin()) },
  'GET /users/{username} 200': { request: async () => http().get('/users/johndoe').set(await asAdmin()) },
  'GET /users/{username} 404 user_not_found': { request: async () => http().get('/users/nobody-here').set(await asAdmin()) },
  'PATCH /users/{username} 200': { request: async () => http().patch('/users/johndoe').set(await asAdmin()).send({ full_name: 'John Doe' }) },
  'PATCH /users/{username} 404 user_not_found': { request: async () => http().patch('/users/nobody-here').set(await asAdmin()).send({ full_name: 'Nobody' }) },
  'PATCH /users/{username} 409 last_superuser': {
    request: async () => http().patch(`/users/${SUPERUSER.username}`).set(await asAdmin()).send({ disabled: true }),
  },
  'PATCH /users/{username} 422 invalid_fields': { request: async () => http().patch('/users/johndoe').set(await asAdmin()).send({ disabled: 'yes' }) },
  'PATCH /users/{username} 503 server_busy': {
    on: 'limits',
    request: async () => {
      const admin = await asAdmin();
      return whileHashingIsBusy(() => http().patch('/users/johndoe').set(admin).send({ password: 'a new fine password' }));
    },
  },
  'DELETE /users/{username} 200': {
    request: async () => {
      const { username } = await newUser();
      return http().delete(`/users/${username}`).set(await asAdmin());
    },
  },
  'DELETE /users/{username} 403 cannot_delete_self': { request: async () => http().delete(`/users/${SUPERUSER.username}`).set(await asAdmin()) },
  'DELETE /users/{username} 404 user_not_found': { request: async () => http().delete('/users/nobody-here').set(await asAdmin()) },

  // Items (johndoe has the documented one, and only that one)
  'GET /users/me/items 200': {
    request: async () => {
      await johndoesFoo();
      return http().get('/users/me/items').set(await asJohndoe());
    },
    expected: (example) => varying(example, '0.id'),
  },
  'POST /items 201': {
    request: async () => {
      await http().delete(`/items/${await johndoesFoo()}`).set(await asJohndoe()).expect(200);
      return http().post('/items').set(await asJohndoe()).send({ item_id: 'Foo', title: 'Foo', description: 'There goes my hero' });
    },
    expected: (example) => varying(example, 'id'),
  },
  'POST /items 409 item_exists': {
    request: async () => {
      await johndoesFoo();
      return http().post('/items').set(await asJohndoe()).send({ item_id: 'Foo', title: 'Foo again' });
    },
  },
  'POST /items 422 invalid_fields': { request: async () => http().post('/items').set(await asJohndoe()).send({ title: 'Foo' }) },
  'GET /items 200': {
    request: async () => {
      await johndoesFoo();
      return http().get('/items').set(await asJohndoe());
    },
    expected: (example) => varying(example, 'data.0.id'),
  },
  'GET /items 422 invalid_query': { request: async () => http().get('/items?skip=-1').set(await asJohndoe()) },
  'GET /items/{id} 200': {
    request: async () => http().get(`/items/${await johndoesFoo()}`).set(await asJohndoe()),
    expected: (example) => varying(example, 'id'),
  },
  'GET /items/{id} 404 item_not_found': { request: async () => http().get(`/items/${randomUUID()}`).set(await asJohndoe()) },
  'PATCH /items/{id} 200': {
    request: async () => http().patch(`/items/${await johndoesFoo()}`).set(await asJohndoe()).send({ title: 'Foo' }),
    expected: (example) => varying(example, 'id'),
  },
  'PATCH /items/{id} 404 item_not_found': { request: async () => http().patch(`/items/${randomUUID()}`).set(await asJohndoe()).send({ title: 'Foo' }) },
  'PATCH /items/{id} 409 item_exists': {
    request: async () => {
      const owner = bearer((await tokenOfNewUser()).token);
      await http().post('/items').set(owner).send({ item_id: 'first', title: 'First' }).expect(201);
      const second = await http().post('/items').set(owner).send({ item_id: 'second', title: 'Second' }).expect(201);
      return http().patch(`/items/${second.body.id}`).set(owner).send({ item_id: 'first' });
    },
  },
  'PATCH /items/{id} 422 invalid_fields': { request: async () => http().patch(`/items/${await johndoesFoo()}`).set(await asJohndoe()).send({ title: '' }) },
  'DELETE /items/{id} 200': {
    request: async () => {
      const owner = bearer((await tokenOfNewUser()).token);
      const created = await http().post('/items').set(owner).send({ item_id: 'short-lived', title: 'Short-lived' }).expect(201);
      return http().delete(`/items/${created.body.id}`).set(owner);
    },
  },
  'DELETE /items/{id} 404 item_not_found': { request: async () => http().delete(`/items/${randomUUID()}`).set(await asJohndoe()) },
  'GET /protected 200': { request: async () => http().get('/protected').set(await asJohndoe()) },

  // Email addresses
  'POST /users/signup 409 email_taken': {
    request: () => http().post('/users/signup').send({ username: 'copycat', password: 'a fine password', email: 'johndoe@example.com' }),
  },
  'POST /users 409 email_taken': {
    request: async () => http().post('/users').set(await asAdmin()).send({ username: 'copycat-2', password: 'a fine password', email: 'johndoe@example.com' }),
  },
  'PATCH /users/me 409 email_taken': {
    request: async () => http().patch('/users/me').set(bearer((await tokenOfNewUser()).token)).send({ email: 'johndoe@example.com' }),
  },
  'PATCH /users/me 503 mail_unavailable': {
    on: 'mailless',
    request: async () => http().patch('/users/me').set(bearer(await token(SUPERUSER.username))).send({ email: 'chief@example.com' }),
  },
  'PATCH /users/{username} 409 email_taken': {
    request: async () => http().patch(`/users/${(await newUser()).username}`).set(await asAdmin()).send({ email: 'alice@example.com' }),
  },
  'GET /users/me/email 200': {
    request: async () => http().get('/users/me/email').set(bearer((await withUnverifiedAddress('jane@example.com')).token)),
  },
  'POST /users/me/email/verification 202': {
    request: async () => http().post('/users/me/email/verification').set(bearer((await withUnverifiedAddress('jane@example.com')).token)),
  },
  'POST /users/me/email/verification 400 nothing_to_verify': { request: async () => http().post('/users/me/email/verification').set(await asJohndoe()) },
  'POST /users/me/email/verification 503 mail_unavailable': {
    on: 'mailless',
    request: async () => http().post('/users/me/email/verification').set(bearer(await token(SUPERUSER.username))),
  },
  'POST /verify-email 200': {
    request: async () => {
      const { username } = await withUnverifiedAddress('verified@example.com');
      return http().post('/verify-email').send({ token: await mailedToken(username, 'verify', 'verified@example.com') });
    },
  },
  'POST /verify-email 400 invalid_token': { request: () => http().post('/verify-email').send({ token: 'not-a-mailed-token' }) },
  'POST /verify-email 422 missing_token': { request: () => http().post('/verify-email').send({}) },

  // Password recovery
  'POST /password-recovery/{email} 200': { request: () => http().post('/password-recovery/johndoe@example.com') },
  'POST /password-recovery/{email} 422 invalid_email': { request: () => http().post('/password-recovery/johndoe') },
  'POST /password-recovery/{email} 503 mail_unavailable': { on: 'mailless', request: () => http().post('/password-recovery/johndoe@example.com') },
  'POST /reset-password 200': {
    request: async () => {
      const { username } = await newUser();
      return http().post('/reset-password').send({ token: await mailedToken(username, 'reset'), new_password: 'a new long password' });
    },
  },
  'POST /reset-password 400 invalid_token': { request: () => http().post('/reset-password').send({ token: 'not-a-mailed-token', new_password: 'a new long password' }) },
  'POST /reset-password 422 invalid_fields': { request: () => http().post('/reset-password').send({ token: 'not-a-mailed-token', new_password: 'short' }) },
  'POST /reset-password 422 common_password': { request: () => http().post('/reset-password').send({ token: 'not-a-mailed-token', new_password: '12345678' }) },
  'POST /reset-password 422 password_contains_username': {
    request: async () => http().post('/reset-password').send({ token: await mailedToken('johndoe', 'reset'), new_password: 'my johndoe password' }),
  },
  'POST /reset-password 503 server_busy': {
    on: 'limits',
    request: async () => {
      const reset = { token: await mailedToken('johndoe', 'reset'), new_password: 'a new long password' };
      return whileHashingIsBusy(() => http().post('/reset-password').send(reset));
    },
  },

  // Health
  'POST /clients 201': {
    request: async () => http().post('/clients').set(await asAdmin()).send(DOCUMENTED_CLIENT),
    expected: (example) => varying(example, 'client_id', 'client_secret', 'created_at'),
  },
  'POST /clients 422 admin_scope': { request: async () => http().post('/clients').set(await asAdmin()).send({ name: 'billing-service', scope: 'me admin' }) },
  'POST /clients 422 missing_name': { request: async () => http().post('/clients').set(await asAdmin()).send({ scope: 'items' }) },
  'POST /clients 422 redirect_uri_fragment': {
    request: async () => http().post('/clients').set(await asAdmin()).send({ name: 'web-app', scope: 'me', redirect_uris: ['https://app.example/cb#done'] }),
  },
  'POST /clients 422 public_without_redirect_uri': {
    request: async () => http().post('/clients').set(await asAdmin()).send({ name: 'mobile-app', scope: 'me', public: true }),
  },
  'GET /clients 200': {
    request: async () => {
      // The one client of the example: any other a case registered goes first.
      const kept = (await client()).client_id;
      const listed = await http().get('/clients').set(await asAdmin()).expect(200);
      for (const { client_id: id } of listed.body as Registered[]) {
        if (id !== kept) await http().delete(`/clients/${id}`).set(await asAdmin()).expect(204);
      }
      return http().get('/clients').set(await asAdmin());
    },
    expected: (example) => varying(example, '0.client_id', '0.created_at', '0.secret_rotated_at'),
  },
  'POST /clients/{client_id}/secret 200': {
    request: async () => http().post(`/clients/${(await registerClient()).client_id}/secret`).set(await asAdmin()),
    expected: (example) => varying(example, 'client_id', 'client_secret', 'secret_rotated_at'),
  },
  'POST /clients/{client_id}/secret 400 public_client': {
    request: async () => {
      const created = await http().post('/clients').set(await asAdmin()).send({ name: 'spa', scope: 'me', public: true, redirect_uris: ['https://app.example/cb'] });
      return http().post(`/clients/${created.body.client_id}/secret`).set(await asAdmin());
    },
  },
  'POST /clients/{client_id}/secret 404 client_not_found': { request: async () => http().post(`/clients/${UNKNOWN_CLIENT}/secret`).set(await asAdmin()) },
  'DELETE /clients/{client_id} 404 client_not_found': { request: async () => http().delete(`/clients/${UNKNOWN_CLIENT}`).set(await asAdmin()) },
  'POST /token 400 scope_not_allowed_for_client': {
    request: async () => {
      const narrow = (await http().post('/clients').set(await asAdmin()).send({ name: 'reports', scope: 'me' }).expect(201)).body as Registered;
      return http().post('/token').set(basic(narrow)).type('form').send({ grant_type: 'client_credentials', scope: 'items' });
    },
  },
  'POST /token 400 two_client_authentication_methods': {
    request: async () => http().post('/token').set(basic(await client())).type('form').send({ grant_type: 'client_credentials', ...(await client()) }),
  },
  'POST /token 401 invalid_client': {
    request: async () => http().post('/token').type('form').send({ grant_type: 'client_credentials', client_id: (await client()).client_id, client_secret: 'wrong' }),
  },
  'POST /introspect 200 active': {
    request: async () => http().post('/introspect').set(basic(await client())).type('form').send({ token: await token('johndoe') }),
    expected: (example) => varying(example, 'exp', 'iat', 'sid'),
  },
  'POST /introspect 200 inactive': { request: async () => http().post('/introspect').set(basic(await client())).type('form').send({ token: 'not-a-token' }) },
  'POST /introspect 400 token_missing': { request: async () => http().post('/introspect').set(basic(await client())).type('form').send({}) },
  'POST /introspect 400 parameter_repeated': {
    request: async () => http().post('/introspect').set(basic(await client())).type('form').send('token=a&token=b'),
  },
  'POST /introspect 400 two_client_authentication_methods': {
    request: async () => http().post('/introspect').set(basic(await client())).type('form').send({ token: 'not-a-token', ...(await client()) }),
  },
  'POST /introspect 401 invalid_client': { request: async () => http().post('/introspect').type('form').send({ token: 'not-a-token', client_id: UNKNOWN_CLIENT, client_secret: 'wrong' }) },
  'POST /introspect 429 too_many_introspections': {
    on: 'limits',
    request: async () => {
      const own = await client();
      await http().post('/introspect').set(basic(own)).type('form').send({ token: 'not-a-token' }).expect(200);
      return http().post('/introspect').set(basic(own)).type('form').send({ token: 'not-a-token' });
    },
  },
  'GET /health/live 200': { request: () => http().get('/health/live') },
  'GET /.well-known/jwks.json 200': {
    on: 'es256',
    request: () => http().get('/.well-known/jwks.json'),
    expected: (example) => varying(example, 'keys.0.kid', 'keys.0.x', 'keys.0.y'),
  },
  'GET /.well-known/oauth-authorization-server 200': { request: () => http().get('/.well-known/oauth-authorization-server') },
  'GET /health/ready 200': {
    request: () => http().get('/health/ready'),
    expected: (example) => varying(example, 'info.database.responseTime', 'details.database.responseTime'),
  },
  'GET /health/ready 503': {
    on: 'down',
    request: async () => {
      await running!.service.app.get(DataSource).destroy();
      return http().get('/health/ready');
    },
    // Why the database does not answer depends on how it went away.
    expected: (example) =>
      varying(example, 'error.database.message', 'error.database.responseTime', 'details.database.message', 'details.database.responseTime'),
  },
};

/** The cases grouped by the service they run on, in the table's order within each. */
const ORDERED = Object.keys(CASES).sort((a, b) => SERVICES.indexOf(CASES[a].on ?? 'main') - SERVICES.indexOf(CASES[b].on ?? 'main'));

// ---------------------------------------------------------------------------------------------

describe('the examples of the OpenAPI document', () => {
  let documented: Map<string, DocumentedExample>;

  beforeAll(async () => {
    documented = documentedExamples((await (await useService('main')).http.get('/openapi.json').expect(200)).body as Document);
  });

  afterAll(stopService);

  it('are each provoked by a case of this suite, which has no case for an example it does not show', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(ORDERED)('%s: the service answers the example', async (name) => {
    // A response with one example and no name for it is compared all the same.
    const example = documented.get(name) ?? documented.get(name.split(' ').slice(0, 3).join(' '));
    if (!example) throw new Error(`The document shows no example "${name}"`);
    const { on = 'main', request, expected = (value: unknown) => value } = CASES[name];
    await useService(on);
    const response = await request();
    expect({ status: response.status, body: response.body }).toEqual({ status: example.status, body: expected(example.value) });
    for (const header of example.requiredHeaders) expect([header, response.headers[header.toLowerCase()]]).toEqual([header, expect.any(String)]);
  });
});
