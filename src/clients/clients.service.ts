import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { RecentReads, TOKEN_READS_TTL_MS } from '../common/recent-reads.js';
import type { RequestOrigin } from '../common/request-origin.js';
import { isUniqueViolation } from '../database/errors.js';
import { AuditLog } from '../observability/audit-log.js';
import type { Actor } from '../users/users.service.js';
import { OAuthClient } from './client.entity.js';
import { CLIENT_ID_PATTERN, hashClientSecret, newClientId, newClientSecret, secretMatches } from './client-credentials.js';
import { clientNotFound, publicClientHasNoSecret } from './clients.errors.js';

/** A client to register. */
export interface ClientRegistration {
  name: string;
  /** Space-separated, each scope once. */
  scope: string;
  redirectUris: readonly string[];
  isPublic: boolean;
  firstParty: boolean;
}

/** A client given a new secret: the one time its secret is known. */
export interface ClientWithSecret {
  client: OAuthClient;
  secret: string;
}

/** A client just registered, with its secret this once; a public client has none. */
export interface NewClient {
  client: OAuthClient;
  secret: string | undefined;
}

/**
 * The one writer of `oauth_clients`. Records the audit event of each change; every write goes
 * through `write`, which forgets the recent read of the client it touched.
 */
@Injectable()
export class ClientsService {
  /**
   * Clients as their tokens and credentials are checked, read at most TOKEN_READS_TTL_MS ago
   * (docs/architecture.md, "Caches and their bounds"): a deletion or a new secret made on another
   * instance holds here within that second; on this instance `write` forgets the entry at once.
   */
  private readonly recentReads = new RecentReads<string, OAuthClient | null>(TOKEN_READS_TTL_MS);

  /**
   * The browser origins of the public clients' redirect URIs (browserOrigins), as read at most
   * TOKEN_READS_TTL_MS ago, like every read here: a client registered or deleted on another
   * instance changes CORS there within the second; on this instance `write` forgets it at once.
   */
  private readonly originReads = new RecentReads<'public-clients', ReadonlySet<string>>(TOKEN_READS_TTL_MS, 1);

  constructor(
    @InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Registers a client as `registration` describes it, checked by the caller (CreateClientRequest:
   * known scopes, never `admin`, redirect URIs that redirect-uris.ts accepts, at least one for a
   * public client). A confidential client gets a secret, known only in this answer; a public one none.
   */
  async create(actor: Actor, registration: ClientRegistration, origin?: RequestOrigin): Promise<NewClient> {
    const { name, scope, redirectUris, isPublic, firstParty } = registration;
    const now = Date.now();
    const secret = isPublic ? undefined : newClientSecret();
    const client = this.clients.create({
      clientId: newClientId(),
      name,
      scope,
      secretHash: secret === undefined ? null : hashClientSecret(secret),
      redirectUris: [...redirectUris],
      isPublic,
      firstParty,
      createdAt: now,
      secretRotatedAt: now,
    });
    await this.write(client.clientId, () => this.clients.insert(client));
    this.audit.record(
      'admin.client_created',
      { actor: actor.username, client_id: client.clientId, name, scope, redirect_uris: client.redirectUris, public: isPublic, first_party: firstParty },
      origin,
    );
    return { client, secret };
  }

  list(): Promise<OAuthClient[]> {
    return this.clients.find({ order: { createdAt: 'ASC', clientId: 'ASC' } });
  }

  /**
   * A new secret for a confidential client; the old one stops working at once (within the second
   * elsewhere). A public client has none to replace.
   */
  async rotateSecret(actor: Actor, clientId: string, origin?: RequestOrigin): Promise<ClientWithSecret> {
    const client = await this.get(clientId);
    if (client.isPublic) throw publicClientHasNoSecret();
    const secret = newClientSecret();
    client.secretHash = hashClientSecret(secret);
    client.secretRotatedAt = Date.now();
    const result = await this.write(clientId, () =>
      this.clients.update({ clientId }, { secretHash: client.secretHash, secretRotatedAt: client.secretRotatedAt }),
    );
    if (result.affected !== 1) throw clientNotFound();
    this.audit.record('admin.client_secret_rotated', { actor: actor.username, client_id: clientId }, origin);
    return { client, secret };
  }

  /** Deletes the client; its tokens stop working at once (within the second elsewhere). */
  async remove(actor: Actor, clientId: string, origin?: RequestOrigin): Promise<void> {
    if (!CLIENT_ID_PATTERN.test(clientId)) throw clientNotFound();
    const result = await this.write(clientId, () => this.clients.delete({ clientId }));
    if (result.affected !== 1) throw clientNotFound();
    this.audit.record('admin.client_deleted', { actor: actor.username, client_id: clientId }, origin);
  }

  async get(clientId: string): Promise<OAuthClient> {
    const client = CLIENT_ID_PATTERN.test(clientId) ? await this.clients.findOneBy({ clientId }) : null;
    if (!client) throw clientNotFound();
    return client;
  }

  /**
   * Makes sure the API docs' own client exists as `docs` describes it (Swagger UI's Authorize with
   * the authorization code flow): registered by the first instance to start, its redirect URI
   * brought up to date when PUBLIC_URL changed. Not audited: no one registered it.
   */
  async ensure(docs: Pick<OAuthClient, 'clientId' | 'name' | 'scope' | 'redirectUris'>): Promise<void> {
    const existing = await this.clients.findOneBy({ clientId: docs.clientId });
    if (existing && JSON.stringify(existing.redirectUris) === JSON.stringify(docs.redirectUris) && existing.isPublic && existing.firstParty) return;
    const now = Date.now();
    const client = this.clients.create({ ...docs, secretHash: null, isPublic: true, firstParty: true, createdAt: now, secretRotatedAt: now });
    try {
      await this.write<unknown>(docs.clientId, () => (existing ? this.clients.update({ clientId: docs.clientId }, { redirectUris: docs.redirectUris, isPublic: true, firstParty: true, secretHash: null }) : this.clients.insert(client)));
    } catch (error) {
      // Another instance registered it at the same moment.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /**
   * The client behind a token or a credential check, as read at most a second ago. Ids of another
   * form are no client's and are not looked up.
   */
  findForToken(clientId: string): Promise<OAuthClient | null> {
    if (!CLIENT_ID_PATTERN.test(clientId)) return Promise.resolve(null);
    return this.recentReads.get(clientId, () => this.clients.findOneBy({ clientId }));
  }

  /**
   * The confidential client whose id and secret these are; undefined otherwise, at the same cost
   * either way. A public client has no secret, so no secret is ever its.
   */
  async authenticate(clientId: string, secret: string): Promise<OAuthClient | undefined> {
    const client = await this.findForToken(clientId);
    const matches = secretMatches(secret, client?.secretHash);
    return matches && client && !client.isPublic ? client : undefined;
  }

  /**
   * The origins (`https://app.example`) of the http and https redirect URIs of public clients:
   * single-page apps, which call the token endpoint and the API from those pages (CORS). A native
   * app's private-use scheme has no origin. Confidential clients call from their servers.
   */
  browserOrigins(): Promise<ReadonlySet<string>> {
    return this.originReads.get('public-clients', async () => {
      const publicClients = await this.clients.find({ select: { clientId: true, redirectUris: true }, where: { isPublic: true } });
      return new Set(publicClients.flatMap((client) => client.redirectUris.map(browserOriginOf).filter((origin) => origin !== undefined)));
    });
  }

  private async write<T>(clientId: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.recentReads.forget(clientId);
      this.originReads.forget('public-clients');
    }
  }
}

/** The origin of an http or https URI; undefined for another scheme. */
function browserOriginOf(uri: string): string | undefined {
  const url = URL.parse(uri);
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : undefined;
}
