import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../database/epoch-ms.js';

/** An OAuth2 confidential client (a service, an app) that authenticates with its own secret. */
@Entity({ name: 'oauth_clients' })
export class OAuthClient {
  /** `client~` and 24 hex characters: a form no username can take (usernames hold no `~`). */
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** SHA-256 (hex) of the secret, which is shown once and stored nowhere. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  /** Space-separated scopes the client may ask for; never `admin`. */
  @Column({ type: 'varchar', length: 255 })
  scope: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'secret_rotated_at', type: 'bigint', transformer: epochMilliseconds })
  secretRotatedAt: number;
}
