import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../../database/epoch-ms.js';

/** One login: every access and refresh token of a refresh chain carries its id as `sid`. */
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** The scopes granted at login; a refresh may narrow them, never widen. */
  @Column({ type: 'varchar', length: 255 })
  scope: string;

  /** The user's token version at login: a password change ends the session. */
  @Column({ name: 'token_version', type: 'integer' })
  tokenVersion: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'last_used_at', type: 'bigint', transformer: epochMilliseconds })
  lastUsedAt: number;

  /** The absolute end of the session, which refreshing does not move. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMilliseconds })
  expiresAt: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  revokedAt: number | null;

  @Column({ name: 'client_address', type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  /**
   * The client the session was issued to (an authorization code exchange), whose refresh requests
   * alone may continue it (RFC 6749 §6); null for a password login, which any caller may refresh.
   */
  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId: string | null;
}
