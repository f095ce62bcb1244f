import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../database/epoch-ms.js';

/** A password reset link's token, or an email verification link's. */
export type AccountTokenPurpose = 'reset' | 'verify';

/**
 * A single-use token mailed to a user, stored only as the SHA-256 of its 256 random bits. Deleted
 * with its user.
 */
@Entity({ name: 'account_tokens' })
@Index('ix_account_tokens_user', ['userId', 'purpose'])
export class AccountToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: AccountTokenPurpose;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  /** For `verify`: the address the link proves the user reads (it may have changed since). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMilliseconds })
  expiresAt: number;

  /** Set when used, or when voided by a newer token, a reset or a change of address. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  usedAt: number | null;
}
