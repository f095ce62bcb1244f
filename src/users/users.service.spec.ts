import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { RequestOrigin } from '../common/request-origin.js';
import { TOKEN_READS_TTL_MS } from '../common/recent-reads.js';
import { dataSourceOptions, openDataSource } from '../database/data-source.js';
import type { AuditLog } from '../observability/audit-log.js';
import type { PasswordHasher } from '../password/password-hasher.js';
import type { Outbox } from '../mail/outbox.js';
import { AccountTokens } from './account-tokens.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

const ORIGIN: RequestOrigin = { address: '192.0.2.1', userAgent: 'curl/8', requestId: 'req-1' };
const ADMIN = { username: 'opsadmin' };

/** Hashing is PasswordHasher's to test; here a hash only has to show which password it was. */
const hasher = { hash: async (password: string) => `hash-of:${password}` } as unknown as PasswordHasher;

/** Mail is the e2e suites' to test (test/email-verification.e2e-spec.ts); here it is written nowhere. */
const outbox = { add: async () => undefined, wake: () => undefined, requireAvailable: () => undefined } as unknown as Outbox;

let dataSource: DataSource;
let audit: { record: jest.Mock<AuditLog['record']> };
let users: UsersService;

/** Another instance of the service on the same database: its changes reach `users` only by expiry. */
const anotherInstance = () => new UsersService(dataSource.getRepository(User), hasher, { record: () => undefined } as unknown as AuditLog, outbox, new AccountTokens());

beforeEach(async () => {
  dataSource = await openDataSource(dataSourceOptions('sqlite::memory:'));
  audit = { record: jest.fn<AuditLog['record']>() };
  users = new UsersService(dataSource.getRepository(User), hasher, audit as unknown as AuditLog, outbox, new AccountTokens());
});

afterEach(async () => {
  jest.restoreAllMocks();
  await dataSource.destroy();
});

describe('UsersService', () => {
  it('creates a user findable by any case of the name, with token version 0 and the new password hashed', async () => {
    await users.create({ username: 'JaneDoe', password: 'jane password' });
    expect(await users.findByUsername('janedoe')).toMatchObject({ username: 'JaneDoe', hashedPassword: 'hash-of:jane password', tokenVersion: 0 });
  });

  it('refuses a name taken in another case with 409, and a reserved one with 422', async () => {
    await users.create({ username: 'janedoe', password: 'jane password' });
    await expect(users.create({ username: 'JANEDOE', password: 'x password' })).rejects.toMatchObject({ status: 409 });
    await expect(users.create({ username: 'Admin', password: 'x password' })).rejects.toMatchObject({ status: 422 });
  });

  it('shows a profile change to the next token read at once', async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password', email: 'old@example.com' });
    expect((await users.findForToken(user.id))?.email).toBe('old@example.com');
    await users.updateProfile(user, { email: 'new@example.com' }, ORIGIN);
    expect((await users.findForToken(user.id))?.pendingEmail).toBe('new@example.com');
  });

  it('shows a disabled user to the next token read at once', async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password' });
    await users.findForToken(user.id);
    await users.adminUpdate(ADMIN, user, { disabled: true }, ORIGIN);
    expect((await users.findForToken(user.id))?.disabled).toBe(true);
  });

  it('shows a deleted user to the next token read at once', async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password' });
    await users.findForToken(user.id);
    await users.deleteAccount(user, ORIGIN);
    expect(await users.findForToken(user.id)).toBeNull();
  });

  it("sees another instance's change within TOKEN_READS_TTL_MS, and not before", async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password' });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    await users.findForToken(user.id);
    await anotherInstance().adminUpdate(ADMIN, user, { disabled: true });
    expect((await users.findForToken(user.id))?.disabled).toBe(false);
    clock.mockReturnValue(now + TOKEN_READS_TTL_MS);
    expect((await users.findForToken(user.id))?.disabled).toBe(true);
  });

  it("ends the user's tokens (a new token version) with a new password, and the next token read sees it", async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password' });
    await users.findForToken(user.id);
    await users.changePassword(user, 'second password', ORIGIN);
    expect(await users.findForToken(user.id)).toMatchObject({ tokenVersion: 1, hashedPassword: 'hash-of:second password' });
  });

  it('ends the tokens when the superuser flag changes, not for a profile change or the flag it already has', async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password' });
    await users.updateProfile(user, { full_name: 'Jane Doe' }, ORIGIN);
    await users.adminUpdate(ADMIN, user, { is_superuser: false, disabled: false });
    expect((await users.findById(user.id))?.tokenVersion).toBe(0);
    const promoted = await users.adminUpdate(ADMIN, user, { is_superuser: true });
    expect(promoted).toMatchObject({ isSuperuser: true, tokenVersion: 1 });
    expect(await users.adminUpdate(ADMIN, promoted, { password: 'reset password' })).toMatchObject({ tokenVersion: 2 });
  });

  it('replaces a hash only if it is still the one stored, without ending tokens', async () => {
    const user = await users.create({ username: 'janedoe', password: 'jane password' });
    expect(await users.replacePasswordHash(user, 'hash-of:jane password', 'stronger')).toBe(true);
    expect(await users.replacePasswordHash(user, 'hash-of:jane password', 'stale')).toBe(false);
    expect(await users.findById(user.id)).toMatchObject({ hashedPassword: 'stronger', tokenVersion: 0 });
  });

  it('imports users with their hashes, leaving existing names alone unless told to replace them, which ends their tokens', async () => {
    const existing = await users.create({ username: 'johndoe', password: 'john password' });
    await users.findForToken(existing.id);
    const records = ['JohnDoe', 'carol'].map((username) => ({ username, email: null, fullName: null, hashedPassword: `imported:${username}`, disabled: false }));
    expect(await users.importHashed(records, false)).toEqual([
      { username: 'JohnDoe', outcome: 'left alone' },
      { username: 'carol', outcome: 'imported' },
    ]);
    expect((await users.findByUsername('carol'))?.hashedPassword).toBe('imported:carol');
    expect(await users.importHashed(records.slice(0, 1), true)).toEqual([{ username: 'JohnDoe', outcome: 'replaced' }]);
    expect(await users.findForToken(existing.id)).toMatchObject({ username: 'johndoe', hashedPassword: 'imported:JohnDoe', tokenVersion: 1 });
  });

  it('adds a user with a given hash once, however often it is asked to', async () => {
    const record = { username: 'demo', email: 'demo@example.com', fullName: 'Demo', hashedPassword: 'given hash', disabled: false };
    const first = await users.addUnlessTaken(record);
    const again = await users.addUnlessTaken({ ...record, hashedPassword: 'another hash' });
    expect(again).toMatchObject({ id: first.id, hashedPassword: 'given hash' });
    expect((await users.list(0, 10)).count).toBe(1);
  });

  it('records who changed what, never the values, naming the actor and the request', async () => {
    const user = await users.adminCreate(ADMIN, { username: 'janedoe', password: 'jane password' }, ORIGIN);
    await users.adminUpdate({ username: 'cli:ops' }, user, { password: 'reset password', email: undefined });
    expect(audit.record.mock.calls).toEqual([
      ['admin.user_created', { actor: 'opsadmin', username: 'janedoe', user_id: user.id, is_superuser: false }, ORIGIN],
      ['admin.user_changed', { actor: 'cli:ops', username: 'janedoe', user_id: user.id, fields: ['password'] }, undefined],
    ]);
  });

  it('refuses to let a superuser delete their own account through administration', async () => {
    const user = await users.create({ username: 'opsadmin', password: 'ops password', is_superuser: true });
    await expect(users.adminDelete(user, user, ORIGIN)).rejects.toMatchObject({ status: 403 });
    expect(await users.findById(user.id)).not.toBeNull();
  });
});
