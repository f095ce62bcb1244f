import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type { RequestOrigin } from '../common/request-origin.js';
import { RecentReads, TOKEN_READS_TTL_MS } from '../common/recent-reads.js';
import { isUniqueViolation } from '../database/errors.js';
import { PasswordHasher } from '../password/password-hasher.js';
import { passwordWeakness } from '../password/password-policy.js';
import { AuditLog } from '../observability/audit-log.js';
import { Outbox } from '../mail/outbox.js';
import { AccountTokens } from './account-tokens.js';
import { EMAIL_CHANGE_NOTICE, VERIFY_EMAIL, type EmailChangeNoticePayload, type VerifyEmailPayload } from './address-mail.js';
import { User } from './user.entity.js';
import {
  cannotDeleteSelf,
  emailTaken,
  invalidToken,
  lastSuperuser,
  reservedUsername,
  usernameLookalike,
  usernameTaken,
  userNotFound,
  weakPassword,
} from './users.errors.js';
import { emailKey, emailKeyForms } from './email-address.js';
import { isReservedUsername, usernameKey, usernameSkeleton } from './username.js';

export interface NewUser {
  username: string;
  password: string;
  email?: string | null;
  full_name?: string | null;
  is_superuser?: boolean;
  disabled?: boolean;
}

/** A user whose password arrives already hashed: imported from elsewhere, or demo data. */
export interface HashedUser {
  username: string;
  email: string | null;
  fullName: string | null;
  hashedPassword: string;
  disabled: boolean;
  /** Demo users' addresses count as verified. */
  emailVerified?: boolean;
}

/** What an import did with one name. */
export type ImportOutcome = 'imported' | 'replaced' | 'left alone';

export interface ProfileChanges {
  email?: string | null;
  full_name?: string | null;
}

export interface AdminChanges extends ProfileChanges {
  password?: string;
  disabled?: boolean;
  is_superuser?: boolean;
}

/** Writes that must happen with a change of password or not at all, in its transaction. */
export type AlongsideWrite = (manager: EntityManager) => Promise<void>;

/** Who made an administrator's change, as audit lines name them: a superuser, or `cli:<account>`. */
export type Actor = Pick<User, 'username'>;

/**
 * The one writer of the `users` table, and the one place that ends a user's tokens (by bumping
 * their token version). Every write goes through `write`, which forgets the recent reads of the
 * users it touched. Records the audit event of each change it makes.
 */
@Injectable()
export class UsersService {
  /**
   * The users behind bearer tokens, read at most TOKEN_READS_TTL_MS ago (docs/architecture.md,
   * "Caches and their bounds"): a change made on another instance holds here within that second.
   * Changes made by this service are seen at once: `write` forgets the users they touch.
   */
  private readonly recentReads = new RecentReads<string, User | null>(TOKEN_READS_TTL_MS);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly accountTokens: AccountTokens,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /**
   * The user behind a bearer token, as read at most a second ago; changes made on this instance are
   * seen at once. Never for decisions about the password: those read afresh.
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

  /** The user who verified `email` (compared as email-address.ts compares addresses), if anyone did. */
  async findByVerifiedEmail(email: string): Promise<User | null> {
    if (email.includes('\u0000')) return null;
    return this.users.findOneBy({ emailKey: emailKey(email), emailVerified: true });
  }

  async getByUsername(username: string): Promise<User> {
    const user = await this.findByUsername(username);
    if (!user) throw userNotFound();
    return user;
  }

  /**
   * A new account, unaudited (FIRST_SUPERUSER at start-up). A name that is taken, or looks like one
   * that is, is refused before any hashing; when two sign-ups race past that check, the unique
   * indexes decide and the loser gets the same 409. So is an address another account verified. An
   * address is the account's unverified, and its verification link is written to the outbox with
   * the account: the mail exists exactly when the account does.
   */
  async create(input: NewUser, origin?: RequestOrigin): Promise<User> {
    if (isReservedUsername(input.username)) throw reservedUsername(input.username);
    const skeleton = usernameSkeleton(input.username);
    await this.refuseTakenOrLookalike(input.username, skeleton);
    const email = input.email ?? null;
    if (email !== null) await this.refuseVerifiedElsewhere(email, null);
    const user = this.users.create({
      id: randomUUID(),
      username: input.username,
      usernameKey: usernameKey(input.username),
      usernameSkeleton: skeleton,
      ...addressFields(email),
      fullName: input.full_name ?? null,
      hashedPassword: await this.hasher.hash(input.password, origin?.address),
      disabled: input.disabled ?? false,
      isSuperuser: input.is_superuser ?? false,
      tokenVersion: 0,
    });
    try {
      await this.write([user.id], () =>
        this.users.manager.transaction(async (manager) => {
          await manager.getRepository(User).insert(user);
          if (email !== null) await this.outbox.add(manager, VERIFY_EMAIL, { userId: user.id, email } satisfies VerifyEmailPayload);
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) await this.refuseTakenOrLookalike(input.username, skeleton);
      throw error;
    }
    if (email !== null) this.outbox.wake();
    return user;
  }

  /** 409 when an account other than `exceptId` verified `email`. Unverified claims block nobody. */
  private async refuseVerifiedElsewhere(email: string, exceptId: string | null): Promise<void> {
    const owner = await this.findByVerifiedEmail(email);
    if (owner && owner.id !== exceptId) throw emailTaken();
  }

  private async refuseTakenOrLookalike(username: string, skeleton: string): Promise<void> {
    if (await this.findByUsername(username)) throw usernameTaken();
    if (await this.users.existsBy({ usernameSkeleton: skeleton })) throw usernameLookalike();
  }

  /** An account someone opened for themselves (the sign-up policy is AccountService's). */
  async signUp(input: NewUser, origin: RequestOrigin): Promise<User> {
    allowedPassword(input.password, input.username, 'password');
    const user = await this.create(input, origin);
    this.audit.record('user.signed_up', { username: user.username, user_id: user.id }, origin);
    return user;
  }

  /** An account a superuser (or the admin CLI, without `origin`) created. */
  async adminCreate(actor: Actor, input: NewUser, origin?: RequestOrigin): Promise<User> {
    allowedPassword(input.password, input.username, 'password');
    const user = await this.create(input, origin);
    this.audit.record('admin.user_created', { actor: actor.username, username: user.username, user_id: user.id, is_superuser: user.isSuperuser }, origin);
    return user;
  }

  /**
   * The user's own changes. A full name changes at once; so does removing the address (email null:
   * no proof is needed to give an address up), which also drops a pending one. A new address only
   * becomes pending: it replaces `email` once verified (`verifyEmail`), its link goes to it and a
   * notice to the old address, both written with the change. Giving the current address again (in
   * any case) keeps it and drops a pending one. Every change of address voids the outstanding links.
   * `linkAllowed` is false when the mail limit holds the new address's link back (AccountService
   * counts it): the change still stands, and a link can be asked for again later.
   */
  async updateProfile(user: User, changes: ProfileChanges, origin: RequestOrigin, linkAllowed = true): Promise<User> {
    const patch: Partial<User> = {};
    if (changes.full_name !== undefined) patch.fullName = changes.full_name;
    if (changes.email === undefined) return this.apply(user, patch, false);
    // Decisions about the address read it afresh, not as a token's recent read saw it.
    const current = await this.findById(user.id);
    if (!current) throw userNotFound();
    const email = changes.email;
    const mails: [string, VerifyEmailPayload | EmailChangeNoticePayload][] = [];
    if (email === null) {
      Object.assign(patch, addressFields(null));
    } else if (emailKey(email) === current.emailKey) {
      Object.assign(patch, { email, pendingEmail: null });
    } else {
      this.outbox.requireAvailable();
      await this.refuseVerifiedElsewhere(email, current.id);
      patch.pendingEmail = email;
      if (linkAllowed) mails.push([VERIFY_EMAIL, { userId: current.id, email }]);
      if (current.email !== null) {
        mails.push([EMAIL_CHANGE_NOTICE, { userId: current.id, to: current.email, newEmail: email, at: Date.now(), address: origin.address }]);
      }
    }
    await this.write([current.id], () =>
      this.users.manager.transaction(async (manager) => {
        await this.update(manager, current.id, patch, false);
        await this.accountTokens.voidAll(manager, current.id, 'verify');
        for (const [kind, payload] of mails) await this.outbox.add(manager, kind, { ...payload });
      }),
    );
    if (mails.length > 0) this.outbox.wake();
    if (patch.pendingEmail) this.audit.record('email.change_requested', { username: current.username, user_id: current.id }, origin);
    const updated = await this.findById(current.id);
    if (!updated) throw userNotFound();
    return updated;
  }

  /**
   * Uses a verification link's token: its address becomes the user's verified `email` (a pending
   * address replaces the old one). In the same transaction every other account's unverified claim on
   * the address ends: an `email` of that key becomes null, a pending address of it is dropped. 400
   * Invalid token when the token is not live or its address is no longer the user's. Verifications
   * of one address take turns (`lockAddress`), so of two at once the second finds its claim ended:
   * 400 too. Should anything else still race, the unique index of verified addresses refuses the
   * second with 409 Email already registered (and its token stays unused).
   */
  async verifyEmail(token: string, origin: RequestOrigin): Promise<User> {
    const touched: string[] = [];
    let verified: User;
    try {
      verified = await this.write(touched, () =>
        this.users.manager.transaction(async (manager) => {
          const used = await this.accountTokens.consume(manager, token, 'verify');
          if (!used?.email) throw invalidToken();
          const key = emailKey(used.email);
          await lockAddress(manager, key);
          const users = manager.getRepository(User);
          const user = await users.findOneBy({ id: used.userId });
          if (!user) throw invalidToken();
          let patch: Partial<User>;
          if (user.pendingEmail !== null && emailKey(user.pendingEmail) === key) {
            patch = { email: user.pendingEmail, emailKey: key, emailVerified: true, pendingEmail: null };
          } else if (user.emailKey === key && !user.emailVerified) {
            patch = { emailVerified: true };
          } else {
            throw invalidToken();
          }
          touched.push(user.id, ...(await this.dropOtherClaims(manager, key, user.id)));
          await this.update(manager, user.id, patch, false);
          return { ...user, ...patch };
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    this.audit.record('email.verified', { username: verified.username, user_id: verified.id }, origin);
    return verified;
  }

  /**
   * Ends the unverified claims of accounts other than `ownerId` on the address `key`, and returns
   * their ids. Pending addresses are stored as typed, so they are found by their lower-cased forms
   * and then compared exactly.
   */
  private async dropOtherClaims(manager: EntityManager, key: string, ownerId: string): Promise<string[]> {
    const users = manager.getRepository(User);
    const byEmail = await users.find({ select: { id: true }, where: { emailKey: key, emailVerified: false } });
    const pendingCandidates = await users
      .createQueryBuilder('u')
      .select(['u.id', 'u.pendingEmail'])
      .where('LOWER(u.pending_email) IN (:...forms)', { forms: emailKeyForms(key) })
      .getMany();
    const byPending = pendingCandidates.filter((other) => other.pendingEmail !== null && emailKey(other.pendingEmail) === key);
    const emailIds = byEmail.map((other) => other.id).filter((id) => id !== ownerId);
    const pendingIds = byPending.map((other) => other.id).filter((id) => id !== ownerId);
    if (emailIds.length > 0) await users.update({ id: In(emailIds) }, { email: null, emailKey: null });
    if (pendingIds.length > 0) await users.update({ id: In(pendingIds) }, { pendingEmail: null });
    return [...emailIds, ...pendingIds];
  }

  /**
   * The user's own new password, once they have re-entered the current one (AccountService checks
   * it); it ends every token issued before it. `alongside` writes in the same transaction.
   */
  async changePassword(user: User, newPassword: string, origin: RequestOrigin, alongside?: AlongsideWrite): Promise<void> {
    allowedPassword(newPassword, user.username, 'new_password');
    await this.setPassword(user, await this.hasher.hash(newPassword, origin.address), alongside);
    this.audit.record('user.password_changed', { username: user.username, user_id: user.id }, origin);
  }

  /**
   * A new password chosen through a mailed reset link; it ends every token issued before it. The
   * policy is checked first, so a refused password leaves the link usable; `redeem` spends the link
   * in the same transaction, and throws (changing nothing) if it was spent meanwhile.
   */
  async resetPassword(user: User, newPassword: string, origin: RequestOrigin, redeem: AlongsideWrite): Promise<void> {
    allowedPassword(newPassword, user.username, 'new_password');
    await this.setPassword(user, await this.hasher.hash(newPassword, origin.address), redeem);
    this.audit.record('password.reset', { username: user.username, user_id: user.id }, origin);
  }

  /**
   * The account a password recovery request for `email` is about: the address's verified owner;
   * failing that, the oldest account that gave it unverified (the first to claim it, so a later
   * sign-up with someone else's address cannot take over their recovery). None when that account is
   * disabled: a disabled verified owner does not hand its address to another account.
   */
  async findForRecovery(email: string): Promise<User | null> {
    if (email.includes('\u0000')) return null;
    const key = emailKey(email);
    const owner = await this.users.findOneBy({ emailKey: key, emailVerified: true });
    const user = owner ?? (await this.users.findOne({ where: { emailKey: key, emailVerified: false }, order: { createdAt: 'ASC', id: 'ASC' } }));
    return user && !user.disabled ? user : null;
  }

  /** The new hash, ending every token, with `alongside`'s writes: all in one transaction. */
  private async setPassword(user: User, hash: string, alongside?: AlongsideWrite): Promise<void> {
    if (!alongside) {
      await this.apply(user, { hashedPassword: hash }, true);
      return;
    }
    await this.write([user.id], () =>
      this.users.manager.transaction(async (manager) => {
        await alongside(manager);
        await this.update(manager, user.id, { hashedPassword: hash }, true);
      }),
    );
  }

  /**
   * Swaps a hash for a stronger one of the same password, unless the password changed meanwhile
   * (compare-and-set): a concurrent password change is never overwritten. Tokens stay valid.
   */
  async replacePasswordHash(user: User, oldHash: string, newHash: string): Promise<boolean> {
    const result = await this.write([user.id], () => this.users.update({ id: user.id, hashedPassword: oldHash }, { hashedPassword: newHash }));
    return result.affected === 1;
  }

  /** The user's own account, once they have re-entered their password (AccountService checks it). */
  async deleteAccount(user: User, origin: RequestOrigin): Promise<void> {
    await this.remove(user.id);
    this.audit.record('user.deleted', { username: user.username, user_id: user.id }, origin);
  }

  async list(skip: number, limit: number): Promise<{ data: User[]; count: number }> {
    const [data, count] = await this.users.findAndCount({ order: { usernameKey: 'ASC' }, skip, take: limit });
    return { data, count };
  }

  /**
   * A superuser's changes (or the admin CLI's, without `origin`); a new password, a change of the
   * superuser flag or disabling ends the user's earlier tokens (and so every session: a user enabled
   * again gets none of them back). Never leaves no active superuser.
   */
  async adminUpdate(actor: Actor, user: User, changes: AdminChanges, origin?: RequestOrigin): Promise<User> {
    if (changes.password !== undefined) allowedPassword(changes.password, user.username, 'password');
    if (changes.email) await this.refuseVerifiedElsewhere(changes.email, user.id);
    const patch: Partial<User> = {};
    if (changes.email !== undefined) {
      Object.assign(patch, addressFields(changes.email));
      // The user's own verified address, only spelled differently, stays verified.
      if (changes.email !== null && user.emailVerified && emailKey(changes.email) === user.emailKey) patch.emailVerified = true;
    }
    if (changes.full_name !== undefined) patch.fullName = changes.full_name;
    if (changes.disabled !== undefined) patch.disabled = changes.disabled;
    if (changes.is_superuser !== undefined) patch.isSuperuser = changes.is_superuser;
    if (changes.password !== undefined) patch.hashedPassword = await this.hasher.hash(changes.password, origin?.address);
    const endsTokens =
      changes.password !== undefined ||
      (changes.is_superuser !== undefined && changes.is_superuser !== user.isSuperuser) ||
      (changes.disabled === true && !user.disabled);
    const updated = await this.apply(user, patch, endsTokens);
    // Which fields changed, never their values (one of them may be a password).
    const fields = Object.keys(changes).filter((field) => changes[field as keyof AdminChanges] !== undefined);
    this.audit.record('admin.user_changed', { actor: actor.username, username: user.username, user_id: user.id, fields }, origin);
    return updated;
  }

  async adminDelete(actor: User, target: User, origin: RequestOrigin): Promise<void> {
    if (actor.id === target.id) throw cannotDeleteSelf();
    await this.remove(target.id);
    this.audit.record('admin.user_deleted', { actor: actor.username, username: target.username, user_id: target.id }, origin);
  }

  /**
   * Users with their hashes, in one transaction: all or nothing. A name that exists is left alone,
   * or with `overwrite` replaced, which ends its tokens. Names are expected to have passed the
   * sign-up rules already (the admin CLI checks a whole file before importing any of it).
   */
  async importHashed(records: HashedUser[], overwrite: boolean): Promise<{ username: string; outcome: ImportOutcome }[]> {
    const replaced: string[] = [];
    return this.write(replaced, () =>
      this.users.manager.transaction(async (manager) => {
        const users = manager.getRepository(User);
        const outcomes: { username: string; outcome: ImportOutcome }[] = [];
        for (const record of records) {
          const existing = await users.findOneBy({ usernameKey: usernameKey(record.username) });
          const fields = { ...addressFields(record.email), fullName: record.fullName, hashedPassword: record.hashedPassword, disabled: record.disabled };
          if (existing && !overwrite) {
            outcomes.push({ username: record.username, outcome: 'left alone' });
          } else if (existing) {
            replaced.push(existing.id);
            if (fields.disabled) await this.lockActiveSuperusers(manager);
            await this.update(manager, existing.id, fields, true);
            outcomes.push({ username: record.username, outcome: 'replaced' });
          } else {
            // An imported account keeps its name even if it looks like another's (as names older
            // than the look-alike rule do): it then has no skeleton.
            const skeleton = usernameSkeleton(record.username);
            const lookalike = await users.existsBy({ usernameSkeleton: skeleton });
            await users.insert({
              id: randomUUID(),
              username: record.username,
              usernameKey: usernameKey(record.username),
              usernameSkeleton: lookalike ? null : skeleton,
              ...fields,
            });
            outcomes.push({ username: record.username, outcome: 'imported' });
          }
        }
        return outcomes;
      }),
    );
  }

  /**
   * Adds `record` unless its name is taken, and returns whoever has the name: loading the demo data
   * again, or from two instances starting at once, changes nothing.
   */
  async addUnlessTaken(record: HashedUser): Promise<User> {
    const key = usernameKey(record.username);
    const id = randomUUID();
    await this.write([id], () =>
      this.users
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({ ...record, ...addressFields(record.email), emailVerified: record.emailVerified ?? false, id, usernameKey: key, usernameSkeleton: usernameSkeleton(record.username) })
        .orIgnore()
        .execute(),
    );
    return this.users.findOneByOrFail({ usernameKey: key });
  }

  /** Writes `patch` to `user` and reads it back. */
  private async apply(user: User, patch: Partial<User>, endsTokens: boolean): Promise<User> {
    if (Object.keys(patch).length === 0 && !endsTokens) return user;
    await this.write([user.id], () =>
      removesASuperuser(patch)
        ? this.users.manager.transaction(async (manager) => {
            await this.lockActiveSuperusers(manager);
            await this.update(manager, user.id, patch, endsTokens);
          })
        : this.update(this.users.manager, user.id, patch, endsTokens),
    );
    const updated = await this.findById(user.id);
    if (!updated) throw userNotFound();
    return updated;
  }

  /**
   * One statement: `patch`, and when tokens must end, the token version bumped with it. A patch that
   * disables or demotes applies only while another active superuser remains (or the user is not one):
   * the condition is part of the statement, so no other write comes between the check and the act.
   */
  private async update(manager: EntityManager, id: string, patch: Partial<User>, endsTokens: boolean): Promise<void> {
    const guarded = removesASuperuser(patch);
    const result = await manager
      .createQueryBuilder()
      .update(User)
      .set({ ...patch, ...(endsTokens ? { tokenVersion: () => 'token_version + 1' } : {}) })
      .where(guarded ? `id = :id AND ${LEAVES_A_SUPERUSER}` : 'id = :id', { id })
      .execute();
    if (guarded && result.affected === 0) await this.refusedOrGone(manager, id);
  }

  /** Deletes a user (their sessions, refresh tokens and items go with them), unless the last active superuser. */
  private async remove(id: string): Promise<void> {
    await this.write([id], () =>
      this.users.manager.transaction(async (manager) => {
        await this.lockActiveSuperusers(manager);
        const result = await manager.createQueryBuilder().delete().from(User).where(`id = :id AND ${LEAVES_A_SUPERUSER}`, { id }).execute();
        if (result.affected === 0) await this.refusedOrGone(manager, id);
      }),
    );
  }

  /**
   * PostgreSQL: locks the active superusers' rows until the transaction ends, so that two
   * transactions each removing a different one of the last two cannot both see the other remain
   * (READ COMMITTED would let them); the second waits, then its statement sees the first's commit.
   * SQLite runs one write at a time, and a statement sees every committed write: nothing to lock.
   */
  private async lockActiveSuperusers(manager: EntityManager): Promise<void> {
    if (manager.connection.options.type !== 'postgres') return;
    await manager.query('SELECT id FROM users WHERE is_superuser = TRUE AND disabled = FALSE ORDER BY id FOR UPDATE');
  }

  /** A guarded write that changed nothing: the user was the last active superuser, or is gone. */
  private async refusedOrGone(manager: EntityManager, id: string): Promise<never> {
    if (await manager.getRepository(User).existsBy({ id })) throw lastSuperuser();
    throw userNotFound();
  }

  /**
   * Every write to `users` goes through here: once it is done (committed or failed), the recent
   * reads of the users in `ids` are forgotten, so no writer has to remember to. `ids` may be filled
   * while `change` runs (an import learns them as it goes).
   */
  private async write<T>(ids: readonly string[], change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      for (const id of ids) this.recentReads.forget(id);
    }
  }
}

/**
 * True of the row being written unless it is an active superuser with no other active superuser
 * beside it. Part of the statement that disables, demotes or deletes.
 */
const LEAVES_A_SUPERUSER =
  '(NOT (is_superuser = TRUE AND disabled = FALSE) OR EXISTS ' +
  '(SELECT 1 FROM users other WHERE other.id <> :id AND other.is_superuser = TRUE AND other.disabled = FALSE))';

/**
 * Refuses a new password the policy refuses (password-policy.ts; the request body's rules refuse the
 * same, but only here is the username known) with a 422 naming `field`, before any hashing. Every
 * path that sets a password (sign-up, password changes, resets, superusers and the admin CLI) comes
 * here; FIRST_SUPERUSER_PASSWORD (`create`) is checked when the configuration is read.
 */
function allowedPassword(password: string, username: string, field: string): void {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw weakPassword(weakness, field);
}

/** The first key of the advisory locks of addresses being verified (see `lockAddress`). */
const VERIFY_ADDRESS_LOCK_KEY = 72_118_451;

/**
 * PostgreSQL: makes verifications of the address `key` take turns until the transaction ends. Each
 * writes its own row and the other claimants' rows, so two at once would each wait for the other (a
 * deadlock); in turn, the second reads after the first committed and finds its claim ended. Without
 * it, a statement after this sees every write committed before. SQLite runs one write at a time.
 */
async function lockAddress(manager: EntityManager, key: string): Promise<void> {
  if (manager.connection.options.type !== 'postgres') return;
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [VERIFY_ADDRESS_LOCK_KEY, key]);
}

/** A patch that may leave no active superuser: it disables or demotes. */
function removesASuperuser(patch: Partial<User>): boolean {
  return patch.disabled === true || patch.isSuperuser === false;
}

/** A user's address as set by anyone but the user's own verified change: unverified, nothing pending. */
function addressFields(email: string | null): Pick<User, 'email' | 'emailKey' | 'emailVerified' | 'pendingEmail'> {
  return { email, emailKey: email === null ? null : emailKey(email), emailVerified: false, pendingEmail: null };
}
