// RFC 6749 §2.3.1: how a confidential client proves who it is, at POST /token and POST /introspect
// alike. Either HTTP Basic or the form fields `client_id` and `client_secret`, never both. A public
// client has no secret and never authenticates here (ClientsService.authenticate).
import { Injectable } from '@nestjs/common';
import { invalidRequest } from '../auth/auth-errors.js';
import { RecentReads, TOKEN_READS_TTL_MS } from '../common/recent-reads.js';
import type { OAuthClient } from './client.entity.js';
import { MalformedBasicCredentials, parseBasicCredentials, type ClientCredentials } from './client-credentials.js';
import { invalidClient } from './clients.errors.js';
import { ClientsService } from './clients.service.js';

/** The form fields a client may authenticate with (empty values count as missing). */
export interface ClientFormFields {
  client_id?: string;
  client_secret?: string;
}

export const twoClientAuthenticationMethods = () => invalidRequest('Client credentials were sent both in the Authorization header and in the form');

/**
 * The credentials a request presents: from `Authorization: Basic`, or from the form. 400
 * invalid_request when both are used; 401 invalid_client for an unreadable Basic header or an id
 * without its secret. Undefined when there are none.
 */
export function presentedClientCredentials(authorization: string | undefined, form: ClientFormFields): ClientCredentials | undefined {
  let basic: ClientCredentials | undefined;
  try {
    basic = parseBasicCredentials(authorization);
  } catch (error) {
    if (error instanceof MalformedBasicCredentials) throw invalidClient();
    throw error;
  }
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic && inForm) throw twoClientAuthenticationMethods();
  if (basic) return basic;
  if (!inForm) return undefined;
  if (form.client_id === undefined || form.client_secret === undefined) throw invalidClient();
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

/** Whether the request tries to authenticate a client (Basic, or a secret in the form), rather than name one. */
function offersSecret(authorization: string | undefined, form: ClientFormFields): boolean {
  return form.client_secret !== undefined || /^\s*basic(\s|$)/i.test(authorization ?? '');
}

/** The ids a request names, however loosely, without checking anything: for the password grant. */
function namedClientIds(authorization: string | undefined, form: ClientFormFields): string[] {
  const ids = form.client_id === undefined ? [] : [form.client_id];
  try {
    const basic = parseBasicCredentials(authorization);
    if (basic) ids.push(basic.clientId);
  } catch {
    // An unreadable header names no client, as the tutorial ignores it.
  }
  return ids;
}

@Injectable()
export class ClientAuthentication {
  /**
   * Presentations of credentials (the Authorization header and the form fields, exactly as sent)
   * that authenticated within the last TOKEN_READS_TTL_MS, so that a client calling many times a
   * second (a resource server introspecting each request it serves) is not parsed and hashed each
   * time. Only successes are kept (failed checks are not), and a hit still reads the client, as
   * recently as any token check does, and must find the digest it was checked against: a deleted
   * client or a new secret holds at once on this instance and within the second on others, as it
   * does without this memory.
   */
  private readonly recentlyAuthenticated = new RecentReads<string, OAuthClient>(TOKEN_READS_TTL_MS);

  constructor(private readonly clients: ClientsService) {}

  /** The client the request authenticates as; 401 invalid_client otherwise (400 for two methods). */
  async authenticate(authorization: string | undefined, form: ClientFormFields): Promise<OAuthClient> {
    const presentation = JSON.stringify([authorization, form.client_id, form.client_secret]);
    const checked = await this.recentlyAuthenticated.get(presentation, () => this.check(authorization, form));
    const current = await this.clients.findForToken(checked.clientId);
    if (current && current.secretHash === checked.secretHash) return current;
    this.recentlyAuthenticated.forget(presentation);
    return this.check(authorization, form);
  }

  private async check(authorization: string | undefined, form: ClientFormFields): Promise<OAuthClient> {
    const credentials = presentedClientCredentials(authorization, form);
    const client = credentials && (await this.clients.authenticate(credentials.clientId, credentials.clientSecret));
    if (!client) throw invalidClient();
    return client;
  }

  /**
   * The client exchanging an authorization code (RFC 6749 §4.1.3): a confidential client
   * authenticates; a public one, which has no secret, names itself with `client_id` alone. Anything
   * else is 401 invalid_client, including a confidential client's id without its secret.
   */
  async exchangingClient(authorization: string | undefined, form: ClientFormFields): Promise<OAuthClient> {
    if (offersSecret(authorization, form)) return this.authenticate(authorization, form);
    const named = await this.namedPublicClient(form);
    if (!named) throw invalidClient();
    return named;
  }

  /**
   * The client a refresh request comes from (RFC 6749 §6), for a session issued to a client: one
   * that authenticates, or a public client named by `client_id`. Undefined for a request that does
   * neither, as the tutorial's refresh requests do; credentials that fail are 401 invalid_client.
   */
  async refreshingClientId(authorization: string | undefined, form: ClientFormFields): Promise<string | undefined> {
    if (offersSecret(authorization, form)) return (await this.authenticate(authorization, form)).clientId;
    return (await this.namedPublicClient(form))?.clientId;
  }

  /** The public client `client_id` names, if it names one: such a client has no secret to show. */
  private async namedPublicClient(form: ClientFormFields): Promise<OAuthClient | undefined> {
    const named = form.client_id === undefined ? null : await this.clients.findForToken(form.client_id);
    return named?.isPublic ? named : undefined;
  }

  /**
   * For the password grant, which the tutorial's clients send with an empty or made-up `client_id`:
   * a request that names no registered client is left alone (undefined); one that names a
   * registered client must authenticate as it. One that names a public client is refused: such a
   * client has no secret to authenticate with, and is for the authorization code flow, where the
   * user's password is typed into this service and never into the app.
   */
  async authenticateIfRegistered(authorization: string | undefined, form: ClientFormFields): Promise<OAuthClient | undefined> {
    const named = await Promise.all(namedClientIds(authorization, form).map((id) => this.clients.findForToken(id)));
    if (!named.some((client) => client !== null)) return undefined;
    if (named.some((client) => client?.isPublic)) throw invalidClient();
    return this.authenticate(authorization, form);
  }
}
