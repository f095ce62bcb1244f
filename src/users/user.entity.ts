import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
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

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

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
