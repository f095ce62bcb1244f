import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../../database/epoch-ms.js';

/**
 * A browser signed in on the hosted login page, so that the next authorization request skips it.
 * The browser holds the id in a cookie; only its SHA-256 is stored.
 */
@Entity({ name: 'browser_sessions' })
export class BrowserSession {
  /** SHA-256 (hex) of the cookie's 256 random bits. */
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** The user's token version at sign-in: a password change or reset, or disabling, ends the session. */
  @Column({ name: 'token_version', type: 'integer' })
  tokenVersion: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Index('ix_browser_sessions_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMilliseconds })
  expiresAt: number;
}
