// The steps of an authorization request (RFC 6749 §4.1) between the pages and the stores: which
// client asks and whether the request may go on, who signs in, and the answer sent back.
import { Injectable } from '@nestjs/common';
import type { OAuthClient } from '../../clients/client.entity.js';
import { ClientsService } from '../../clients/clients.service.js';
import { matchesRegisteredRedirectUri } from '../../clients/redirect-uris.js';
import type { RequestOrigin } from '../../common/request-origin.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditLog } from '../../observability/audit-log.js';
import type { User } from '../../users/user.entity.js';
import { AuthService } from '../auth.service.js';
import { scopesOfClaim } from '../scopes.js';
import { AuthorizationCodes } from './authorization-codes.js';
import {
  checkAuthorizationRequest,
  clientAndRedirectUri,
  stateOf,
  type AuthorizationParameters,
  type AuthorizationRefusal,
  type AuthorizationRequest,
} from './authorization-request.js';
import { codeRedirect, refusalRedirect } from './redirect-uri-answer.js';

/** What to do with a request: show the person a problem, send the client a refusal, or go on. */
export type CheckedRequest =
  | { kind: 'problem'; problem: string }
  | { kind: 'refused'; location: string }
  | { kind: 'valid'; client: OAuthClient; request: AuthorizationRequest };

@Injectable()
export class AuthorizationFlow {
  constructor(
    private readonly clients: ClientsService,
    private readonly auth: AuthService,
    private readonly codes: AuthorizationCodes,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  /**
   * The request's client and redirect URI first: unless both are right, nothing is redirected
   * (RFC 6749 §4.1.2.1), since the redirect would go wherever the request says. Then the rest.
   */
  async check(parameters: AuthorizationParameters): Promise<CheckedRequest> {
    const named = clientAndRedirectUri(parameters);
    if ('problem' in named) return { kind: 'problem', problem: named.problem };
    const client = await this.clients.findForToken(named.clientId);
    if (!client) return { kind: 'problem', problem: 'The application is not registered here (unknown client_id).' };
    if (!matchesRegisteredRedirectUri(client.redirectUris, named.redirectUri)) {
      return { kind: 'problem', problem: 'The address to return to is not one the application registered (redirect_uri does not match).' };
    }
    const checked = checkAuthorizationRequest(parameters, named, scopesOfClaim(client.scope));
    if ('refusal' in checked) return { kind: 'refused', location: this.refusal(named.redirectUri, checked.refusal, stateOf(parameters)) };
    return { kind: 'valid', client, request: checked.request };
  }

  /**
   * The user whose password this is, checked exactly as POST /token checks it (AuthService: limits,
   * equal time, audit of failures, disabled users and unverified addresses refused); a success is
   * audited as a login, with the client it was for.
   */
  async signIn(username: string, password: string, client: OAuthClient, origin: RequestOrigin): Promise<User> {
    const user = await this.auth.authenticateUser(username, password, origin);
    this.audit.record('login.succeeded', { username: user.username, user_id: user.id, client_id: client.clientId, via: 'authorize' }, origin);
    return user;
  }

  /** Where to send the browser with a new code for `user`. */
  async approve(request: AuthorizationRequest, user: User): Promise<string> {
    const code = await this.codes.issue({ clientId: request.clientId, userId: user.id, redirectUri: request.redirectUri, codeChallenge: request.codeChallenge, scopes: request.scopes });
    return codeRedirect(request.redirectUri, code, request.state, this.config.jwtIssuer);
  }

  /** Where to send the browser when the user denies the request. */
  deny(request: AuthorizationRequest): string {
    return this.refusal(request.redirectUri, { error: 'access_denied', description: 'The user denied the request' }, request.state);
  }

  private refusal(redirectUri: string, refusal: AuthorizationRefusal, state: string | undefined): string {
    return refusalRedirect(redirectUri, refusal, state, this.config.jwtIssuer);
  }
}
