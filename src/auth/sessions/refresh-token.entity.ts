import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../../database/epoch-ms.js';

/** A refresh token, stored only as the SHA-256 of its value. Used once, then retired. */
@Entity({ name: 'refresh_tokens' })
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  /** The idle limit: unused by then, it is dead. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMilliseconds })
  expiresAt: number;

  /** Set when it was exchanged; presenting it again is reuse. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  usedAt: number | null;
}
