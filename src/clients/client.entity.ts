import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { epochMilliseconds } from '../database/epoch-ms.js';

/** A list of strings stored as the text of a JSON array, the same on SQLite and PostgreSQL. */
const jsonStringList: ValueTransformer = {
  to: (value: readonly string[] | undefined) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? [] : (JSON.parse(value) as string[])),
};

/**
 * An OAuth2 client. A confidential one (a service, a web app's back end) authenticates with its own
 * secret; a public one (a single-page or mobile app) cannot keep a secret and has none.
 */
@Entity({ name: 'oauth_clients' })
export class OAuthClient {
  /** `client~` and 24 hex characters: a form no username can take (usernames hold no `~`). */
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** SHA-256 (hex) of the secret, which is shown once and stored nowhere; null for a public client. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash: string | null;

  /** Space-separated scopes the client may ask for; never `admin`. */
  @Column({ type: 'varchar', length: 255 })
  scope: string;

  /** Where authorization answers may be sent, in the order registered (redirect-uris.ts). */
  @Column({ name: 'redirect_uris', type: 'text', transformer: jsonStringList })
  redirectUris: string[];

  /** RFC 6749 §2.1: a client that cannot keep a secret, so has none and never authenticates with one. */
  @Column({ name: 'is_public', type: 'boolean', default: false })
  isPublic: boolean;

  /** An application of the service's own operator, rather than one made by someone else. */
  @Column({ name: 'first_party', type: 'boolean', default: false })
  firstParty: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'secret_rotated_at', type: 'bigint', transformer: epochMilliseconds })
  secretRotatedAt: number;
}
