import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { RequestOrigin } from '../common/request-origin.js';
import { RecentReads, TOKEN_READS_TTL_MS } from '../common/recent-reads.js';
import { isUniqueViolation } from '../database/errors.js';
import { PasswordHasher } from '../password/password-hasher.js';
import { AuditLog } from '../observability/audit-log.js';
import { LoginThrottle } from '../throttle/login-throttle.js';
import { User } from './user.entity.js';
import { cannotDeleteSelf, incorrectPassword, reservedUsername, usernameTaken, userNotFound } from './users.errors.js';
import { isReservedUsername, usernameKey } from './username.js';

export interface NewUser {
  username: string;
  password: string;
  email?: string | null;
  full_name?: string | null;
  is_superuser?: boolean;
  disabled?: boolean;
}

export interface ProfileChanges {
  email?: string | null;
  full_name?: string | null;
}

export interface AdminChanges extends ProfileChanges {
  password?: string;
  disabled?: boolean;
  is_superuser?: boolean;
}

@Injectable()
export class UsersService {
  private readonly recentReads = new RecentReads<string, User | null>(TOKEN_READS_TTL_MS);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /**
   * The user behind a bearer token, as read at most a second ago (design.md §3); changes made on
   * this instance are seen at once. Never for decisions about the password: those read afresh.
   */
  findForToken(id: string): Promise<User | null> {
    return this.recentReads.get(id, () => this.findById(id));
  }

  /**
   * Looks the name up the way it is unique: ignoring case and Unicode compatibility forms. No name
   * holds a NUL byte, and PostgreSQL refuses one in a query parameter (a 500 from `/users/%00`).
   */
  async findByUsername(username: string): Promise<User | null> {
    if (username.includes('\u0000')) return null;
    return this.users.findOneBy({ usernameKey: usernameKey(username) });
  }

  async getByUsername(username: string): Promise<User> {
    const user = await this.findByUsername(username);
    if (!user) throw userNotFound();
    return user;
  }

  /**
   * A new account. A taken name is refused before any hashing; when two sign-ups race past that
   * check, the unique index decides and the loser gets the same 409.
   */
  async create(input: NewUser, client?: RequestOrigin): Promise<User> {
    if (isReservedUsername(input.username)) throw reservedUsername(input.username);
    if (await this.findByUsername(input.username)) throw usernameTaken();
    const user = this.users.create({
      id: randomUUID(),
      username: input.username,
      usernameKey: usernameKey(input.username),
      email: input.email ?? null,
      fullName: input.full_name ?? null,
      hashedPassword: await this.hasher.hash(input.password, client?.address),
      disabled: input.disabled ?? false,
      isSuperuser: input.is_superuser ?? false,
      tokenVersion: 0,
    });
    try {
      await this.users.insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw usernameTaken();
      throw error;
    }
    return user;
  }

  async updateProfile(user: User, changes: ProfileChanges): Promise<User> {
    const patch: Partial<User> = {};
    if (changes.email !== undefined) patch.email = changes.email;
    if (changes.full_name !== undefined) patch.fullName = changes.full_name;
    return this.apply(user, patch, false);
  }

  /** A new password ends every token issued before it. */
  async changePassword(user: User, currentPassword: string, newPassword: string, client: RequestOrigin): Promise<void> {
    await this.checkPassword(user, currentPassword, client.address);
    await this.apply(user, { hashedPassword: await this.hasher.hash(newPassword, client.address) }, true);
    this.audit.record('user.password_changed', { username: user.username, user_id: user.id }, client);
  }

  /**
   * Swaps a hash for a stronger one of the same password, unless the password changed meanwhile
   * (compare-and-set): a concurrent password change is never overwritten. Tokens stay valid.
   */
  async replacePasswordHash(user: User, oldHash: string, newHash: string): Promise<boolean> {
    const result = await this.users.update({ id: user.id, hashedPassword: oldHash }, { hashedPassword: newHash });
    return result.affected === 1;
  }

  async deleteAccount(user: User, currentPassword: string, client: RequestOrigin): Promise<void> {
    await this.checkPassword(user, currentPassword, client.address);
    await this.users.delete({ id: user.id });
    this.recentReads.forget(user.id);
    this.audit.record('user.deleted', { username: user.username, user_id: user.id }, client);
  }

  async list(skip: number, limit: number): Promise<{ data: User[]; count: number }> {
    const [data, count] = await this.users.findAndCount({ order: { usernameKey: 'ASC' }, skip, take: limit });
    return { data, count };
  }

  /**
   * A superuser's changes (or the admin CLI's, without `client`: `actor` is who to name in the audit
   * line); a new password or superuser flag ends the user's earlier tokens.
   */
  async adminUpdate(actor: Pick<User, 'username'>, user: User, changes: AdminChanges, client?: RequestOrigin): Promise<User> {
    const patch: Partial<User> = {};
    if (changes.email !== undefined) patch.email = changes.email;
    if (changes.full_name !== undefined) patch.fullName = changes.full_name;
    if (changes.disabled !== undefined) patch.disabled = changes.disabled;
    if (changes.is_superuser !== undefined) patch.isSuperuser = changes.is_superuser;
    if (changes.password !== undefined) patch.hashedPassword = await this.hasher.hash(changes.password, client?.address);
    const endsTokens =
      changes.password !== undefined || (changes.is_superuser !== undefined && changes.is_superuser !== user.isSuperuser);
    const updated = await this.apply(user, patch, endsTokens);
    // Which fields changed, never their values (one of them may be a password).
    const fields = Object.keys(changes).filter((field) => changes[field as keyof AdminChanges] !== undefined);
    this.audit.record('admin.user_changed', { actor: actor.username, username: user.username, user_id: user.id, fields }, client);
    return updated;
  }

  async adminDelete(actor: User, target: User, client: RequestOrigin): Promise<void> {
    if (actor.id === target.id) throw cannotDeleteSelf();
    await this.users.delete({ id: target.id });
    this.recentReads.forget(target.id);
    this.audit.record('admin.user_deleted', { actor: actor.username, username: target.username, user_id: target.id }, client);
  }

  /** A re-entered password counts against the same limits, and takes the same time, as a login. */
  private async checkPassword(user: User, password: string, address: string | null): Promise<void> {
    const matched = await this.throttle.check({ accountId: user.id, name: user.username }, address, async () => {
      // The stored hash as it is now, not as a token's recent read saw it.
      const current = await this.findById(user.id);
      if (!current) throw userNotFound();
      return this.hasher.verify(current.hashedPassword, password, address);
    });
    if (!matched) throw incorrectPassword();
  }

  /** Writes `patch`, bumping the token version in the same statement when tokens must end. */
  private async apply(user: User, patch: Partial<User>, endsTokens: boolean): Promise<User> {
    if (Object.keys(patch).length === 0 && !endsTokens) return user;
    await this.users
      .createQueryBuilder()
      .update(User)
      .set({ ...patch, ...(endsTokens ? { tokenVersion: () => 'token_version + 1' } : {}) })
      .where('id = :id', { id: user.id })
      .execute();
    this.recentReads.forget(user.id);
    const updated = await this.findById(user.id);
    if (!updated) throw userNotFound();
    return updated;
  }
}
