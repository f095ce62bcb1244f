import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
@Index('uq_users_verified_email', ['emailKey'], { unique: true, where: 'email_verified = TRUE' })
@Index('ix_users_email_key', ['emailKey'])
export class User {
  /** Immutable: tokens carry it, so a new user who takes a deleted user's name is someone else. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** As the user typed it; this is the `sub` of their tokens. */
  @Column({ type: 'varchar', length: 64 })
  username: string;

  /** NFKC-normalised, lower-cased username: unique, so names differing only in case collide. */
  @Column({ name: 'username_key', type: 'varchar', length: 255, unique: true })
  usernameKey: string;

  /**
   * The name's look-alike skeleton (username.ts): unique, so that no new name looks like another.
   * Null only for names older than the rule that collided with an earlier one, which keep working.
   */
  @Column({ name: 'username_skeleton', type: 'varchar', length: 255, nullable: true, unique: true })
  usernameSkeleton: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  /** `email` as addresses are compared (email-address.ts); unique among verified addresses. */
  @Column({ name: 'email_key', type: 'varchar', length: 320, nullable: true })
  emailKey: string | null;

  /** Whether the user proved they read `email`, by a mailed link. */
  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  /** A new address the user asked for, which replaces `email` once verified. */
  @Column({ name: 'pending_email', type: 'varchar', length: 320, nullable: true })
  pendingEmail: string | null;

  @Column({ name: 'full_name', type: 'varchar', length: 255, nullable: true })
  fullName: string | null;

  @Column({ name: 'hashed_password', type: 'text' })
  hashedPassword: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'is_superuser', type: 'boolean', default: false })
  isSuperuser: boolean;

  /** Part of every token; bumping it invalidates all the user's earlier tokens. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
