import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { RecentReads, TOKEN_READS_TTL_MS } from '../common/recent-reads.js';
import type { RequestOrigin } from '../common/request-origin.js';
import { AuditLog } from '../observability/audit-log.js';
import type { Actor } from '../users/users.service.js';
import { OAuthClient } from './client.entity.js';
import { CLIENT_ID_PATTERN, hashClientSecret, newClientId, newClientSecret, secretMatches } from './client-credentials.js';
import { clientNotFound } from './clients.errors.js';

/** A client just registered or given a new secret: the one time its secret is known. */
export interface ClientWithSecret {
  client: OAuthClient;
  secret: string;
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

  constructor(
    @InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>,
    private readonly audit: AuditLog,
  ) {}

  /** Registers a client allowed `scope` (checked by the caller: known scopes, never `admin`). */
  async create(actor: Actor, name: string, scope: string, origin?: RequestOrigin): Promise<ClientWithSecret> {
    const now = Date.now();
    const secret = newClientSecret();
    const client = this.clients.create({ clientId: newClientId(), name, scope, secretHash: hashClientSecret(secret), createdAt: now, secretRotatedAt: now });
    await this.write(client.clientId, () => this.clients.insert(client));
    this.audit.record('admin.client_created', { actor: actor.username, client_id: client.clientId, name, scope }, origin);
    return { client, secret };
  }

  list(): Promise<OAuthClient[]> {
    return this.clients.find({ order: { createdAt: 'ASC', clientId: 'ASC' } });
  }

  /** A new secret for the client; the old one stops working at once (within the second elsewhere). */
  async rotateSecret(actor: Actor, clientId: string, origin?: RequestOrigin): Promise<ClientWithSecret> {
    const client = await this.get(clientId);
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
   * The client behind a token or a credential check, as read at most a second ago. Ids of another
   * form are no client's and are not looked up.
   */
  findForToken(clientId: string): Promise<OAuthClient | null> {
    if (!CLIENT_ID_PATTERN.test(clientId)) return Promise.resolve(null);
    return this.recentReads.get(clientId, () => this.clients.findOneBy({ clientId }));
  }

  /** The client whose id and secret these are; undefined otherwise, at the same cost either way. */
  async authenticate(clientId: string, secret: string): Promise<OAuthClient | undefined> {
    const client = await this.findForToken(clientId);
    return secretMatches(secret, client?.secretHash) ? (client ?? undefined) : undefined;
  }

  private async write<T>(clientId: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.recentReads.forget(clientId);
    }
  }
}
