import { Body, Controller, Get, HttpException, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendHtmlPage } from '../../common/html.js';
import { HttpErrorWithHeaders } from '../../common/http-error.js';
import { requestOrigin } from '../../common/request-origin.js';
import { securityHeaders } from '../../common/security-headers.js';
import { AppConfig } from '../../config/app-config.js';
import type { User } from '../../users/user.entity.js';
import { Public } from '../decorators.js';
import { AuthorizationFlow, type CheckedRequest } from './authorization-flow.js';
import { consentPage, formExpiredPage, invalidRequestPage, loginPage, signedOutPage } from './authorization-pages.js';
import type { AuthorizationParameters, AuthorizationRequest } from './authorization-request.js';
import { BrowserSessions } from './browser-sessions.js';
import { CsrfTokens } from './csrf-tokens.js';
import { withFormAction } from './form-action.js';

/** The browser's sign-in (browser-sessions.ts) and the value its CSRF tokens are made from (csrf-tokens.ts). */
const SESSION_COOKIE = 'authorize_session';
const CSRF_COOKIE = 'authorize_csrf';

/** A cookie value this service wrote: 256 bits in base64url. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

type Valid = Extract<CheckedRequest, { kind: 'valid' }>;

const textField = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

const QUERY: [name: string, description: string, required: boolean, values?: string[]][] = [
  ['response_type', 'The authorization code flow', true, ['code']],
  ['client_id', 'A registered client', true],
  ['redirect_uri', "One of the client's registered redirect URIs, exactly", true],
  ['code_challenge', 'PKCE (RFC 7636): base64url of the SHA-256 of the code verifier, 43 to 128 characters', true],
  ['code_challenge_method', 'Only S256; without it the challenge would be plain, which is refused', true, ['S256']],
  ['scope', 'Space-separated scopes, among those the client is registered for; none: all of them', false],
  ['state', 'Returned unchanged with the answer', false],
];

/**
 * The authorization code flow's browser side (RFC 6749 §4.1, with PKCE): GET /authorize, the hosted
 * login page and the consent page, each form posting back with a CSRF token; the code itself is
 * exchanged at POST /token.
 */
@ApiTags('auth')
@Controller('authorize')
export class AuthorizationController {
  /** The service's CSP, of which these pages change only form-action (form-action.ts). */
  private readonly policy: string;

  constructor(
    private readonly flow: AuthorizationFlow,
    private readonly sessions: BrowserSessions,
    private readonly csrf: CsrfTokens,
    private readonly config: AppConfig,
  ) {
    this.policy = securityHeaders(config)['content-security-policy'];
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Sign in a user for an application: the authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636)',
    description:
      'A browser page, not a JSON endpoint. An unknown client_id, or a redirect_uri that is missing or not exactly one the client ' +
      'registered, is answered with a 400 page and never redirected. Any other problem is redirected to redirect_uri with `error`, ' +
      '`error_description`, `state` and `iss` (RFC 9207). Otherwise the hosted login page is shown (skipped while the browser is ' +
      'signed in), then, for a client that is not first-party, a consent page; the answer is a 303 to redirect_uri with `code`, ' +
      '`state` and `iss`, the code to be exchanged at POST /token with the code verifier.',
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The login page, or the consent page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({
    status: 303,
    description: 'To redirect_uri, with a code or an error',
    headers: { Location: { description: 'redirect_uri with `code` or `error` and `error_description`, `state` and `iss` added to its query', schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 400, description: 'A page: unknown client, or a redirect_uri that is missing or not registered', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiQueryParameters()
  async authorize(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const checked = await this.checked(request.query as AuthorizationParameters, reply);
    if (!checked) return;
    const user = await this.sessions.userOf(this.cookie(request, SESSION_COOKIE));
    if (user) return this.signedIn(request, reply, checked, user);
    this.sendPage(reply, 200, checked.request, (token) => loginPage(checked.client.name, checked.request, token), this.csrfValue(request, reply));
  }

  /** The login page's form. */
  @Post()
  @Public()
  @ApiExcludeEndpoint()
  async signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const csrfValue = this.checkedCsrf(request, reply, body);
    if (!csrfValue) return;
    const checked = await this.checked(body as AuthorizationParameters, reply);
    if (!checked) return;
    const { client, request: authorization } = checked;
    const username = textField(body, 'username') ?? '';
    const password = textField(body, 'password') ?? '';
    const again = (status: number, problem: string) => this.sendPage(reply, status, authorization, (token) => loginPage(client.name, authorization, token, problem, username), csrfValue);
    if (username === '' || password === '') return again(400, 'Enter your username and password.');
    let user: User;
    try {
      user = await this.flow.signIn(username, password, client, requestOrigin(request));
    } catch (error) {
      if (!(error instanceof HttpException) || (error.getStatus() >= 500 && error.getStatus() !== 503)) throw error;
      if (error instanceof HttpErrorWithHeaders) void reply.headers(error.headers);
      return again(error.getStatus(), problemOf(error));
    }
    // A session this browser had before (another user's, or one ended since) is replaced, not kept.
    await this.sessions.end(this.cookie(request, SESSION_COOKIE));
    const sessionId = await this.sessions.open(user);
    void reply.setCookie(SESSION_COOKIE, sessionId, { ...this.cookieOptions(), maxAge: this.sessions.lifetimeSeconds });
    return this.signedIn(request, reply, checked, user, csrfValue);
  }

  /** The consent page's form: Allow or Deny. */
  @Post('consent')
  @Public()
  @ApiExcludeEndpoint()
  async consent(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const csrfValue = this.checkedCsrf(request, reply, body);
    if (!csrfValue) return;
    const checked = await this.checked(body as AuthorizationParameters, reply);
    if (!checked) return;
    const { client, request: authorization } = checked;
    const user = await this.sessions.userOf(this.cookie(request, SESSION_COOKIE));
    if (!user) {
      return this.sendPage(reply, 401, authorization, (token) => loginPage(client.name, authorization, token, 'Your sign-in has ended. Sign in again.'), csrfValue);
    }
    const decision = textField(body, 'decision');
    if (decision === 'allow') return this.redirect(reply, await this.flow.approve(authorization, user));
    if (decision === 'deny') return this.redirect(reply, this.flow.deny(authorization));
    this.sendPage(reply, 400, authorization, (token) => consentPage(client.name, user.username, authorization, token, 'Choose Allow or Deny.'), csrfValue);
  }

  /** Signs the browser out: the next GET /authorize shows the login page again. */
  @Post('logout')
  @Public()
  @ApiExcludeEndpoint()
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    if (!this.checkedCsrf(request, reply, body)) return;
    await this.sessions.end(this.cookie(request, SESSION_COOKIE));
    void reply.clearCookie(SESSION_COOKIE, this.cookieOptions());
    sendHtmlPage(reply, 200, signedOutPage());
  }

  /** After sign-in: a first-party client gets its code at once; any other is shown the consent page. */
  private async signedIn(request: FastifyRequest, reply: FastifyReply, { client, request: authorization }: Valid, user: User, csrfValue?: string): Promise<void> {
    if (client.firstParty) return this.redirect(reply, await this.flow.approve(authorization, user));
    this.sendPage(reply, 200, authorization, (token) => consentPage(client.name, user.username, authorization, token), csrfValue ?? this.csrfValue(request, reply));
  }

  /** The request, or undefined when it has been answered: a page for a bad client or redirect URI, a redirect for the rest. */
  private async checked(parameters: AuthorizationParameters, reply: FastifyReply): Promise<Valid | undefined> {
    const checked = await this.flow.check(parameters ?? {});
    if (checked.kind === 'problem') sendHtmlPage(reply, 400, invalidRequestPage(checked.problem));
    else if (checked.kind === 'refused') this.redirect(reply, checked.location);
    else return checked;
    return undefined;
  }

  /** The browser's CSRF value when the form carries its token; otherwise answers 403 and returns undefined. */
  private checkedCsrf(request: FastifyRequest, reply: FastifyReply, body: unknown): string | undefined {
    const value = this.cookie(request, CSRF_COOKIE);
    if (value && this.csrf.matches(value, textField(body, 'csrf_token'))) return value;
    sendHtmlPage(reply, 403, formExpiredPage());
    return undefined;
  }

  /** The browser's CSRF value, set now when it has none. */
  private csrfValue(request: FastifyRequest, reply: FastifyReply): string {
    const existing = this.cookie(request, CSRF_COOKIE);
    if (existing) return existing;
    const value = this.csrf.newBrowserValue();
    void reply.setCookie(CSRF_COOKIE, value, this.cookieOptions());
    return value;
  }

  /** A page with a form whose POST may redirect to the request's redirect URI, which its CSP then allows. */
  private sendPage(reply: FastifyReply, status: number, request: AuthorizationRequest, html: (csrfToken: string) => string, csrfValue: string): void {
    void reply.header('Content-Security-Policy', withFormAction(this.policy, request.redirectUri));
    sendHtmlPage(reply, status, html(this.csrf.tokenFor(csrfValue)));
  }

  private redirect(reply: FastifyReply, location: string): void {
    void reply.code(303).header('Location', location).header('Cache-Control', 'no-store').send();
  }

  private cookie(request: FastifyRequest, name: string): string | undefined {
    const header = request.headers.cookie;
    if (!header) return undefined;
    const value = request.server.parseCookie(header)[name];
    return value !== undefined && COOKIE_VALUE.test(value) ? value : undefined;
  }

  /** HttpOnly, SameSite=Lax, and Secure wherever users reach the service over HTTPS. */
  private cookieOptions() {
    return { httpOnly: true, sameSite: 'lax', path: '/', secure: this.config.behindTls } as const;
  }
}

/** The refusal of a sign-in, for a person: the same words POST /token answers with. */
function problemOf(error: HttpException): string {
  const { detail } = error.getResponse() as { detail?: unknown };
  if (error.getStatus() === 400 && detail === 'Inactive user') return 'This account is disabled.';
  return typeof detail === 'string' ? detail : 'Incorrect username or password';
}

/** GET /authorize's query parameters, documented. */
function ApiQueryParameters(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const [name, description, required, values] of QUERY) ApiQuery({ name, description, required, schema: { type: 'string', ...(values ? { enum: values } : {}) } })(target, key, descriptor);
  };
}
