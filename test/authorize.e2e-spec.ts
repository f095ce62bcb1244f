// GET /authorize and its pages (RFC 6749 §4.1 with PKCE, RFC 9207, RFC 9700), as a browser sees them:
// the real app on a real database, with a cookie jar of its own. A request naming no registered
// client or an unregistered redirect URI is shown a page and never redirected; the rest of its
// problems go back to the client; the hosted login page checks passwords as POST /token does; a
// signed-in browser skips it; a client that is not first-party asks for consent.
import { createHash, randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { AuditLog } from '../src/observability/audit-log.js';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

type Http = TestApp['http'];
type Answer = Awaited<ReturnType<Http['get']>>;

const ROOT = 'root1';
const ROOT_PASSWORD = 'first superuser passphrase';
const PASSWORD = 'a long enough password';
const APP_URI = 'https://app.example/cb';
const APP_URI_WITH_QUERY = 'https://app.example/cb?tenant=blue';

const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (codeVerifier: string) => createHash('sha256').update(codeVerifier).digest('base64url');

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (value: string) => value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);

/** The hidden fields of the page's form that posts to `action`. */
function hiddenFields(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form method="post" action="${action}">([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`no form posting to ${action} in:\n${html}`);
  return Object.fromEntries([...form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name, unescape(value)]));
}

/** A browser: keeps the cookies the service sets and sends them back. */
class Browser {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie lines of the last answer. */
  lastSetCookies: string[] = [];

  constructor(private readonly http: Http) {}

  get(url: string): Promise<Answer> {
    return this.remember(this.http.get(url).set('Cookie', this.cookieHeader()));
  }

  post(url: string, form: Record<string, string>): Promise<Answer> {
    return this.remember(this.http.post(url).type('form').set('Cookie', this.cookieHeader()).send(form));
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async remember(pending: PromiseLike<Answer>): Promise<Answer> {
    const answer = await pending;
    const raw = answer.headers['set-cookie'] as unknown as string[] | undefined;
    this.lastSetCookies = raw ?? [];
    for (const line of this.lastSetCookies) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return answer;
  }
}

interface Client {
  client_id: string;
  name: string;
}

describe('GET /authorize', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;
  let admin: string;
  let firstParty: Client;
  let thirdParty: Client;
  let narrow: Client;
  let users = 0;

  async function register(body: Record<string, unknown>): Promise<Client> {
    const response = await http.post('/clients').auth(admin, { type: 'bearer' }).send(body);
    expect(response.status).toBe(201);
    return response.body;
  }

  /** A new user of its own, so that no test's limits or sessions reach another's. */
  async function newUser(): Promise<string> {
    users += 1;
    const username = `browser${users}`;
    await http.post('/users/signup').send({ username, password: PASSWORD }).expect(201);
    return username;
  }

  /** The query of an authorization request by `client`, valid unless `changes` say otherwise (undefined leaves a parameter out). */
  function query(client: Client, changes: Record<string, string | undefined> = {}, codeVerifier = verifier()): string {
    const parameters: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: APP_URI,
      code_challenge: challengeOf(codeVerifier),
      code_challenge_method: 'S256',
      state: 'st@te 1/2&x',
      ...changes,
    };
    return Object.entries(parameters)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
  }

  /** The answer's redirect, split into the address it goes to and its query parameters. */
  function redirectOf(answer: Answer): { base: string; parameters: Record<string, string>; all: [string, string][] } {
    expect(answer.status).toBe(303);
    const location = answer.headers.location as string;
    const url = new URL(location);
    return { base: `${url.origin}${url.pathname}`, parameters: Object.fromEntries(url.searchParams), all: [...url.searchParams] };
  }

  /** Signs in on the login page of a request by `client`; returns the answer to the form. */
  async function signIn(browser: Browser, client: Client, username: string, password = PASSWORD, changes: Record<string, string | undefined> = {}): Promise<Answer> {
    const page = await browser.get(`/authorize?${query(client, changes)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="/authorize">');
    return browser.post('/authorize', { ...hiddenFields(page.text, '/authorize'), username, password });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD, LOGIN_MAX_FAILURES: '3', LOGIN_DELAY_MAX_MS: '0' });
    http = service.http;
    admin = (await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200)).body.access_token;
    firstParty = await register({ name: 'Notes <web>', scope: 'me items', redirect_uris: [APP_URI, APP_URI_WITH_QUERY], public: true, first_party: true });
    thirdParty = await register({ name: 'Gadget Tracker', scope: 'me items', redirect_uris: [APP_URI, 'com.example.gadgets:/oauth2'], public: true });
    narrow = await register({ name: 'Profile only', scope: 'me', redirect_uris: [APP_URI], public: true, first_party: true });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('a request that cannot be sent back (RFC 6749 §4.1.2.1): a page, never a redirect', () => {
    const cases: [string, (client: Client) => string][] = [
      ['no client_id', (client) => query(client, { client_id: undefined })],
      ['an unknown client_id', (client) => query(client, { client_id: 'client~000000000000000000000000' })],
      ['a client_id of no possible client', (client) => query(client, { client_id: 'johndoe' })],
      ['client_id twice', (client) => `${query(client)}&client_id=${encodeURIComponent(client.client_id)}`],
      ['no redirect_uri', (client) => query(client, { redirect_uri: undefined })],
      ['an empty redirect_uri', (client) => query(client, { redirect_uri: '' })],
      ['redirect_uri twice', (client) => `${query(client)}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`],
      ['another host', (client) => query(client, { redirect_uri: 'https://evil.example/cb' })],
      ['a host ending like it', (client) => query(client, { redirect_uri: 'https://evilapp.example/cb' })],
      ['userinfo before the host', (client) => query(client, { redirect_uri: 'https://app.example@evil.example/cb' })],
      ['userinfo on the host', (client) => query(client, { redirect_uri: 'https://user@app.example/cb' })],
      ['path traversal', (client) => query(client, { redirect_uri: 'https://app.example/cb/../evil' })],
      ['an encoded path traversal', (client) => query(client, { redirect_uri: 'https://app.example/cb/%2e%2e/evil' })],
      ['a longer path', (client) => query(client, { redirect_uri: 'https://app.example/cb/more' })],
      ['a fragment', (client) => query(client, { redirect_uri: 'https://app.example/cb#frag' })],
      ['an upper-case host', (client) => query(client, { redirect_uri: 'https://APP.example/cb' })],
      ['an upper-case path', (client) => query(client, { redirect_uri: 'https://app.example/CB' })],
      ['an added query', (client) => query(client, { redirect_uri: 'https://app.example/cb?next=https://evil.example' })],
      ['a trailing slash', (client) => query(client, { redirect_uri: 'https://app.example/cb/' })],
      ['http instead of https', (client) => query(client, { redirect_uri: 'http://app.example/cb' })],
      ['another port', (client) => query(client, { redirect_uri: 'https://app.example:444/cb' })],
    ];

    it.each(cases)('answers %s with a 400 page and no Location', async (_case, build) => {
      const answer = await http.get(`/authorize?${build(firstParty)}`);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.text).toContain('This sign-in request cannot be completed');
    });

    it('shows the page even when everything else is wrong too', async () => {
      const answer = await http.get(`/authorize?${query(firstParty, { redirect_uri: 'https://evil.example/cb', response_type: 'token', code_challenge: undefined })}`);
      expect([answer.status, answer.headers.location]).toEqual([400, undefined]);
    });

    it('does not send a client without registered redirect URIs anywhere', async () => {
      const service = await register({ name: 'backend', scope: 'me' });
      const answer = await http.get(`/authorize?${query(service)}`);
      expect([answer.status, answer.headers.location]).toEqual([400, undefined]);
    });
  });

  describe('a request the client gets back as an error, with state and iss', () => {
    it.each([
      ['response_type=token', 'unsupported_response_type', { response_type: 'token' }],
      ['no response_type', 'invalid_request', { response_type: undefined }],
      ['no code_challenge', 'invalid_request', { code_challenge: undefined }],
      ['a code_challenge too short', 'invalid_request', { code_challenge: 'short' }],
      ['code_challenge_method plain', 'invalid_request', { code_challenge_method: 'plain' }],
      ['no code_challenge_method (plain)', 'invalid_request', { code_challenge_method: undefined }],
      ['a scope the client is not registered for', 'invalid_scope', { scope: 'me admin' }],
      ['an unknown scope', 'invalid_scope', { scope: 'write' }],
    ] as [string, string, Record<string, string | undefined>][])('redirects %s as %s', async (_case, error, changes) => {
      const { base, parameters } = redirectOf(await http.get(`/authorize?${query(firstParty, changes)}`));
      expect(base).toBe(APP_URI);
      expect(parameters).toEqual({ error, error_description: expect.any(String), state: 'st@te 1/2&x', iss: service.config.jwtIssuer });
    });

    it('redirects a repeated parameter as invalid_request', async () => {
      const { parameters } = redirectOf(await http.get(`/authorize?${query(firstParty)}&scope=me&scope=items`));
      expect(parameters).toMatchObject({ error: 'invalid_request', state: 'st@te 1/2&x', iss: service.config.jwtIssuer });
    });

    it('refuses a scope beyond a narrower registration', async () => {
      const { parameters } = redirectOf(await http.get(`/authorize?${query(narrow, { scope: 'items' })}`));
      expect(parameters).toMatchObject({ error: 'invalid_scope' });
    });

    it('leaves state out when none was sent', async () => {
      const { parameters } = redirectOf(await http.get(`/authorize?${query(firstParty, { state: undefined, response_type: 'token' })}`));
      expect(parameters).toEqual({ error: 'unsupported_response_type', error_description: expect.any(String), iss: service.config.jwtIssuer });
    });

    it("keeps the registered URI's own query and adds to it", async () => {
      const { all } = redirectOf(await http.get(`/authorize?${query(firstParty, { redirect_uri: APP_URI_WITH_QUERY, response_type: 'token' })}`));
      expect(all.map(([name]) => name)).toEqual(['tenant', 'error', 'error_description', 'state', 'iss']);
      expect(all[0]).toEqual(['tenant', 'blue']);
    });
  });

  describe('the login page', () => {
    it('shows a form naming the client, with labels, autocomplete and a CSRF token', async () => {
      const browser = new Browser(http);
      const page = await browser.get(`/authorize?${query(firstParty)}`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<h1>Sign in to Notes &lt;web&gt;</h1>');
      expect(page.text).toContain('<label for="username">');
      expect(page.text).toMatch(/<input id="username" [^>]*autocomplete="username"/);
      expect(page.text).toContain('<label for="password">');
      expect(page.text).toMatch(/<input id="password" [^>]*type="password" autocomplete="current-password"/);
      expect(page.text).not.toContain('<script');
      const fields = hiddenFields(page.text, '/authorize');
      expect(fields).toMatchObject({ client_id: firstParty.client_id, redirect_uri: APP_URI, state: 'st@te 1/2&x', csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(browser.cookies.has('authorize_csrf')).toBe(true);
    });

    it("answers with no-store, no framing and a CSP whose form-action allows the redirect URI's origin and nothing else new", async () => {
      const page = await http.get(`/authorize?${query(firstParty)}`);
      const policy = page.headers['content-security-policy'] as string;
      expect(policy).toContain("form-action 'self' https://app.example;");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
      const global = (await http.get('/health/live')).headers['content-security-policy'] as string;
      expect(policy.replace(" https://app.example", '')).toBe(global);
    });

    it("allows a native app's private-use scheme in form-action", async () => {
      const page = await http.get(`/authorize?${query(thirdParty, { redirect_uri: 'com.example.gadgets:/oauth2' })}`);
      expect(page.headers['content-security-policy']).toContain("form-action 'self' com.example.gadgets:;");
    });

    it('answers a form without a CSRF token, with a wrong one, or without the cookie with 403 and signs no one in', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      const page = await browser.get(`/authorize?${query(firstParty)}`);
      const fields = { ...hiddenFields(page.text, '/authorize'), username, password: PASSWORD };
      const stranger = new Browser(http);
      await stranger.get(`/authorize?${query(firstParty)}`);
      const attempts = [
        await browser.post('/authorize', { ...fields, csrf_token: '' }),
        await browser.post('/authorize', { ...fields, csrf_token: 'A'.repeat(43) }),
        await stranger.post('/authorize', fields),
        await new Browser(http).post('/authorize', fields),
      ];
      for (const answer of attempts) {
        expect([answer.status, answer.headers.location]).toEqual([403, undefined]);
        expect(answer.text).toContain('This form has expired');
        expect(String(answer.headers['set-cookie'] ?? '')).not.toContain('authorize_session');
      }
    });

    it('shows the page again with 401 and a generic message for a wrong password or an unknown user', async () => {
      const username = await newUser();
      for (const [name, password] of [[username, 'not the password'], ['nobody-here', PASSWORD]]) {
        const browser = new Browser(http);
        const answer = await signIn(browser, firstParty, name, password);
        expect(answer.status).toBe(401);
        expect(answer.text).toContain('<p class="problem" id="problem" role="alert">Incorrect username or password</p>');
        expect(answer.text).toContain('<h1>Sign in to Notes &lt;web&gt;</h1>');
        expect(browser.cookies.has('authorize_session')).toBe(false);
        expect(hiddenFields(answer.text, '/authorize')).toMatchObject({ client_id: firstParty.client_id, csrf_token: expect.any(String) });
      }
    });

    it('locks the account out after LOGIN_MAX_FAILURES failures, as POST /token does: 429 with a message', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      for (let i = 0; i < 3; i += 1) expect((await signIn(browser, firstParty, username, 'wrong password')).status).toBe(401);
      const locked = await signIn(browser, firstParty, username, PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.text).toContain('role="alert">Too many failed login attempts</p>');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(browser.cookies.has('authorize_session')).toBe(false);
      // The same lock holds at POST /token.
      expect((await http.post('/token').type('form').send({ username, password: PASSWORD })).status).toBe(429);
    });

    it('does not sign in a disabled user', async () => {
      const browser = new Browser(http);
      const answer = await signIn(browser, firstParty, 'eve', 'secret');
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('role="alert">This account is disabled.</p>');
      expect(browser.cookies.has('authorize_session')).toBe(false);
    });

    it('sets an HttpOnly, SameSite=Lax session cookie for the whole site, not Secure over plain http', async () => {
      const browser = new Browser(http);
      await signIn(browser, firstParty, await newUser());
      const cookie = browser.lastSetCookies.find((line) => line.startsWith('authorize_session='));
      expect(cookie).toMatch(/^authorize_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; Max-Age=43200/);
      expect(cookie).not.toMatch(/Secure/i);
    });

    it('audits failures and the sign-in as POST /token does, the sign-in with the client id', async () => {
      const username = await newUser();
      const record = jest.spyOn(service.app.get(AuditLog), 'record');
      try {
        await signIn(new Browser(http), firstParty, username, 'wrong password');
        await signIn(new Browser(http), firstParty, username);
        const events = record.mock.calls.filter(([event]) => event.startsWith('login.')).map(([event, fields]) => [event, fields]);
        expect(events).toEqual([
          ['login.failed', expect.objectContaining({ reason: 'wrong_password', username })],
          ['login.succeeded', expect.objectContaining({ username, user_id: expect.any(String), client_id: firstParty.client_id })],
        ]);
        expect(JSON.stringify(record.mock.calls)).not.toContain(PASSWORD);
      } finally {
        record.mockRestore();
      }
    });

    it('replaces the session a browser had when it signs in again', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      const page = await browser.get(`/authorize?${query(firstParty)}`);
      const form = { ...hiddenFields(page.text, '/authorize'), username, password: PASSWORD };
      expect((await browser.post('/authorize', form)).status).toBe(303);
      const first = browser.cookies.get('authorize_session')!;
      expect((await browser.post('/authorize', form)).status).toBe(303);
      expect(browser.cookies.get('authorize_session')).not.toBe(first);
      const replay = new Browser(http);
      replay.cookies.set('authorize_session', first);
      expect((await replay.get(`/authorize?${query(firstParty)}`)).status).toBe(200);
    });

    it('stores only the SHA-256 of the session cookie', async () => {
      const browser = new Browser(http);
      await signIn(browser, firstParty, await newUser());
      const id = browser.cookies.get('authorize_session')!;
      const rows: { id_hash: string }[] = await service.app.get((await import('typeorm')).DataSource).query('SELECT id_hash FROM browser_sessions');
      expect(rows.map((row) => row.id_hash)).toContain(createHash('sha256').update(id).digest('hex'));
      expect(rows.map((row) => row.id_hash)).not.toContain(id);
    });
  });

  describe('a first-party client', () => {
    it('gets a code, the state and iss right after the sign-in, with no consent page', async () => {
      const browser = new Browser(http);
      const { base, parameters } = redirectOf(await signIn(browser, firstParty, await newUser()));
      expect(base).toBe(APP_URI);
      expect(parameters).toEqual({ code: expect.stringMatching(/^\S{20,}$/), state: 'st@te 1/2&x', iss: service.config.jwtIssuer });
    });

    it('gets a code that POST /token exchanges, once, with the code verifier, for the scopes asked for', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      const codeVerifier = verifier();
      const page = await browser.get(`/authorize?${query(firstParty, { scope: 'me' }, codeVerifier)}`);
      const { parameters } = redirectOf(await browser.post('/authorize', { ...hiddenFields(page.text, '/authorize'), username, password: PASSWORD }));
      const exchange = { grant_type: 'authorization_code', code: parameters.code, redirect_uri: APP_URI, client_id: firstParty.client_id, code_verifier: codeVerifier };
      const tokens = await http.post('/token').type('form').send(exchange);
      expect(tokens.status).toBe(200);
      expect(tokens.body).toMatchObject({ token_type: 'bearer', scope: 'me' });
      const me = await http.get('/users/me/').auth(tokens.body.access_token, { type: 'bearer' });
      expect([me.status, me.body.username]).toEqual([200, username]);
      expect((await http.post('/token').type('form').send(exchange)).status).toBe(400);
    });

    it('skips the login page while the browser is signed in', async () => {
      const browser = new Browser(http);
      await signIn(browser, firstParty, await newUser());
      const { parameters } = redirectOf(await browser.get(`/authorize?${query(firstParty, { state: 'second' })}`));
      expect(parameters).toEqual({ code: expect.any(String), state: 'second', iss: service.config.jwtIssuer });
    });

    it('still checks the request of a signed-in browser', async () => {
      const browser = new Browser(http);
      await signIn(browser, firstParty, await newUser());
      const page = await browser.get(`/authorize?${query(firstParty, { redirect_uri: 'https://evil.example/cb' })}`);
      expect([page.status, page.headers.location]).toEqual([400, undefined]);
      expect(redirectOf(await browser.get(`/authorize?${query(firstParty, { code_challenge_method: 'plain' })}`)).parameters).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('signing out and ended sessions', () => {
    it('signs out with POST /authorize/logout: the cookie is cleared and the login page is back', async () => {
      const browser = new Browser(http);
      await signIn(browser, thirdParty, await newUser());
      const consent = await browser.get(`/authorize?${query(thirdParty)}`);
      const id = browser.cookies.get('authorize_session');
      const answer = await browser.post('/authorize/logout', hiddenFields(consent.text, '/authorize/logout'));
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('You are signed out');
      expect(browser.lastSetCookies.find((line) => line.startsWith('authorize_session='))).toMatch(/^authorize_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
      expect((await browser.get(`/authorize?${query(firstParty)}`)).text).toContain('<form method="post" action="/authorize">');
      // The old cookie, kept by someone, no longer signs in either.
      const replay = new Browser(http);
      replay.cookies.set('authorize_session', id!);
      expect((await replay.get(`/authorize?${query(firstParty)}`)).status).toBe(200);
    });

    it('refuses a sign-out without the CSRF token, leaving the browser signed in', async () => {
      const browser = new Browser(http);
      await signIn(browser, firstParty, await newUser());
      expect((await browser.post('/authorize/logout', {})).status).toBe(403);
      expect((await browser.get(`/authorize?${query(firstParty)}`)).status).toBe(303);
    });

    it('ends the browser session when the password changes', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      await signIn(browser, firstParty, username);
      expect((await browser.get(`/authorize?${query(firstParty)}`)).status).toBe(303);
      const token = await login(http, username, PASSWORD);
      await http.patch('/users/me/password').auth(token, { type: 'bearer' }).send({ current_password: PASSWORD, new_password: 'another long password' }).expect(200);
      const page = await browser.get(`/authorize?${query(firstParty)}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<form method="post" action="/authorize">');
    });

    it('ends the browser session when the account is deleted', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      await signIn(browser, firstParty, username);
      const token = await login(http, username, PASSWORD);
      await http.delete('/users/me/').auth(token, { type: 'bearer' }).send({ current_password: PASSWORD }).expect(200);
      expect((await browser.get(`/authorize?${query(firstParty)}`)).status).toBe(200);
    });

    it('ends the browser session when the user is disabled', async () => {
      const username = await newUser();
      const browser = new Browser(http);
      await signIn(browser, firstParty, username);
      await http.patch(`/users/${username}`).auth(admin, { type: 'bearer' }).send({ disabled: true }).expect(200);
      expect((await browser.get(`/authorize?${query(firstParty)}`)).status).toBe(200);
    });
  });

  describe('consent, for a client that is not first-party', () => {
    async function consentPage(browser: Browser, changes: Record<string, string | undefined> = {}) {
      const page = await signIn(browser, thirdParty, await newUser(), PASSWORD, changes);
      expect(page.status).toBe(200);
      return page;
    }

    it('lists the requested scopes with their descriptions, with Allow and Deny', async () => {
      const page = await consentPage(new Browser(http), { scope: 'items' });
      expect(page.text).toContain('<h1>Allow Gadget Tracker to use your account?</h1>');
      expect(page.text).toContain('Read and change your own items (<code>items</code>)');
      expect(page.text).not.toContain('<code>me</code>');
      expect(page.text).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
      expect(page.text).toContain('<button type="submit" name="decision" value="deny">Deny</button>');
      expect(page.headers['content-security-policy']).toContain("form-action 'self' https://app.example;");
    });

    it('sends access_denied, the state and iss back on Deny', async () => {
      const browser = new Browser(http);
      const page = await consentPage(browser);
      const { base, parameters } = redirectOf(await browser.post('/authorize/consent', { ...hiddenFields(page.text, '/authorize/consent'), decision: 'deny' }));
      expect(base).toBe(APP_URI);
      expect(parameters).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'st@te 1/2&x', iss: service.config.jwtIssuer });
    });

    it('sends a code, the state and iss back on Allow', async () => {
      const browser = new Browser(http);
      const page = await consentPage(browser);
      const { parameters } = redirectOf(await browser.post('/authorize/consent', { ...hiddenFields(page.text, '/authorize/consent'), decision: 'allow' }));
      expect(parameters).toEqual({ code: expect.any(String), state: 'st@te 1/2&x', iss: service.config.jwtIssuer });
    });

    it('asks again on the next request of a signed-in browser', async () => {
      const browser = new Browser(http);
      await consentPage(browser);
      const again = await browser.get(`/authorize?${query(thirdParty)}`);
      expect(again.status).toBe(200);
      expect(again.text).toContain('Allow Gadget Tracker to use your account?');
    });

    it('refuses a decision without the CSRF token with 403, redirecting nowhere', async () => {
      const browser = new Browser(http);
      const page = await consentPage(browser);
      const answer = await browser.post('/authorize/consent', { ...hiddenFields(page.text, '/authorize/consent'), csrf_token: '', decision: 'allow' });
      expect([answer.status, answer.headers.location]).toEqual([403, undefined]);
    });

    it('asks a browser that is not signed in to sign in', async () => {
      const browser = new Browser(http);
      const page = await consentPage(browser);
      browser.cookies.delete('authorize_session');
      const answer = await browser.post('/authorize/consent', { ...hiddenFields(page.text, '/authorize/consent'), decision: 'allow' });
      expect([answer.status, answer.headers.location]).toEqual([401, undefined]);
      expect(answer.text).toContain('<form method="post" action="/authorize">');
    });
  });
});

describe('GET /authorize behind https', () => {
  let database: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { PUBLIC_URL: 'https://id.example.test', FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('marks its cookies Secure', async () => {
    const http = service.http;
    const admin = (await http.post('/token').type('form').send({ username: ROOT, password: ROOT_PASSWORD, scope: 'admin me items' }).expect(200)).body.access_token;
    const client = (await http.post('/clients').auth(admin, { type: 'bearer' }).send({ name: 'app', scope: 'me', redirect_uris: [APP_URI], public: true, first_party: true }).expect(201)).body;
    const browser = new Browser(http);
    const page = await browser.get(`/authorize?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent(APP_URI)}&code_challenge=${challengeOf(verifier())}&code_challenge_method=S256`);
    expect(browser.lastSetCookies.find((line) => line.startsWith('authorize_csrf='))).toMatch(/; Secure/);
    const answer = await browser.post('/authorize', { ...hiddenFields(page.text, '/authorize'), username: 'johndoe', password: 'secret' });
    expect(answer.status).toBe(303);
    expect(browser.lastSetCookies.find((line) => line.startsWith('authorize_session='))).toMatch(/; Secure/);
    expect(new URL(answer.headers.location as string).searchParams.get('iss')).toBe('https://id.example.test');
  });
});
