import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { RequestOrigin } from '../../common/request-origin.js';
import { TOKEN_READS_TTL_MS } from '../../common/recent-reads.js';
import type { AppConfig } from '../../config/app-config.js';
import { dataSourceOptions, openDataSource } from '../../database/data-source.js';
import type { AuditLog } from '../../observability/audit-log.js';
import type { PasswordHasher } from '../../password/password-hasher.js';
import type { Outbox } from '../../mail/outbox.js';
import { AccountTokens } from '../../users/account-tokens.js';
import { User } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

const ORIGIN: RequestOrigin = { address: '192.0.2.1', userAgent: 'curl/8', requestId: 'req-1' };
const CONFIG = { refreshTokenMaxDays: 30, refreshTokenIdleMinutes: 60, maxSessionsPerUser: 3 } as AppConfig;
const hasher = { hash: async (password: string) => `hash-of:${password}` } as unknown as PasswordHasher;

let dataSource: DataSource;
let audit: { record: jest.Mock<AuditLog['record']> };
let users: UsersService;
let sessions: SessionsService;
let jane: User;

/** A service as another instance has it, on the same database: its changes reach `sessions` only by expiry. */
function instance(record: AuditLog['record'] = () => undefined): SessionsService {
  const log = { record } as unknown as AuditLog;
  return new SessionsService(dataSource.getRepository(Session), dataSource.getRepository(RefreshToken), users, CONFIG, log);
}

beforeEach(async () => {
  dataSource = await openDataSource(dataSourceOptions('sqlite::memory:'));
  audit = { record: jest.fn<AuditLog['record']>() };
  users = new UsersService(
    dataSource.getRepository(User),
    hasher,
    { record: () => undefined } as unknown as AuditLog,
    { add: async () => undefined, wake: () => undefined } as unknown as Outbox,
    new AccountTokens(),
  );
  sessions = instance(audit.record);
  jane = await users.create({ username: 'janedoe', password: 'jane password' });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await dataSource.destroy();
});

describe('SessionsService', () => {
  it("opens a live session of the user, and of nobody else's", async () => {
    const { session } = await sessions.open(jane, 'me items', ORIGIN);
    expect(await sessions.isLiveSessionOf(session.id, jane.id)).toBe(true);
    expect(await sessions.isLiveSessionOf(session.id, 'someone-else')).toBe(false);
  });

  it('refuses a revoked session at the next token check, though it was read a moment before', async () => {
    const { session } = await sessions.open(jane, 'me', ORIGIN);
    expect(await sessions.isLiveSessionOf(session.id, jane.id)).toBe(true);
    expect(await sessions.revoke(session.id, jane.id, ORIGIN)).toBe(true);
    expect(await sessions.isLiveSessionOf(session.id, jane.id)).toBe(false);
    expect(audit.record).toHaveBeenCalledWith('session.ended', { session_id: session.id, user_id: jane.id }, ORIGIN);
  });

  it("does not revoke another user's session, nor one already ended", async () => {
    const { session } = await sessions.open(jane, 'me', ORIGIN);
    expect(await sessions.revoke(session.id, 'someone-else', ORIGIN)).toBe(false);
    expect(await sessions.revoke(session.id, jane.id, ORIGIN)).toBe(true);
    expect(await sessions.revoke(session.id, jane.id, ORIGIN)).toBe(false);
  });

  it("ends every session of the user at once on logging out everywhere, and nobody else's", async () => {
    const bob = await users.create({ username: 'bob', password: 'bob password' });
    const mine = [await sessions.open(jane, 'me', ORIGIN), await sessions.open(jane, 'me', ORIGIN)].map(({ session }) => session.id);
    const { session: theirs } = await sessions.open(bob, 'me', ORIGIN);
    for (const id of mine) await sessions.isLiveSessionOf(id, jane.id);
    await sessions.revokeAll(jane.id, ORIGIN);
    for (const id of mine) expect(await sessions.isLiveSessionOf(id, jane.id)).toBe(false);
    expect(await sessions.isLiveSessionOf(theirs.id, bob.id)).toBe(true);
    expect(audit.record).toHaveBeenCalledWith('sessions.ended_all', { user_id: jane.id, sessions: 2 }, ORIGIN);
  });

  it('ends the oldest session at once when a login goes beyond MAX_SESSIONS_PER_USER', async () => {
    const clock = jest.spyOn(Date, 'now');
    const opened: string[] = [];
    for (let minute = 1; minute <= 3; minute += 1) {
      clock.mockReturnValue(Date.UTC(2030, 0, 1, 0, minute));
      opened.push((await sessions.open(jane, 'me', ORIGIN)).session.id);
    }
    await sessions.isLiveSessionOf(opened[0], jane.id);
    clock.mockReturnValue(Date.UTC(2030, 0, 1, 0, 4));
    await sessions.open(jane, 'me', ORIGIN);
    expect(await sessions.isLiveSessionOf(opened[0], jane.id)).toBe(false);
    expect(await sessions.isLiveSessionOf(opened[1], jane.id)).toBe(true);
    expect((await sessions.listLive(jane.id)).length).toBe(3);
  });

  it("sees another instance's revocation within TOKEN_READS_TTL_MS, and not before", async () => {
    const { session } = await sessions.open(jane, 'me', ORIGIN);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    await sessions.isLiveSessionOf(session.id, jane.id);
    await instance().revoke(session.id, jane.id, ORIGIN);
    expect(await sessions.isLiveSessionOf(session.id, jane.id)).toBe(true);
    clock.mockReturnValue(now + TOKEN_READS_TTL_MS);
    expect(await sessions.isLiveSessionOf(session.id, jane.id)).toBe(false);
  });

  it('exchanges a refresh token once; using it again ends the session, new tokens included', async () => {
    const { session, refreshToken } = await sessions.open(jane, 'me items', ORIGIN);
    const refreshed = await sessions.refresh(refreshToken, [], ORIGIN);
    expect(refreshed).toMatchObject({ scope: 'me items', session: { id: session.id } });
    await expect(sessions.refresh(refreshToken, [], ORIGIN)).rejects.toMatchObject({ response: { error: 'invalid_grant' } });
    expect(await sessions.isLiveSessionOf(session.id, jane.id)).toBe(false);
    await expect(sessions.refresh(refreshed.refreshToken, [], ORIGIN)).rejects.toMatchObject({ response: { error: 'invalid_grant' } });
  });

  it("refuses a refresh once the user's token version moved on (a new password)", async () => {
    const { refreshToken } = await sessions.open(jane, 'me', ORIGIN);
    await users.changePassword(jane, 'second password', ORIGIN);
    await expect(sessions.refresh(refreshToken, [], ORIGIN)).rejects.toMatchObject({ response: { detail: 'Invalid refresh token' } });
  });

  it('never widens the scope at a refresh', async () => {
    const { refreshToken } = await sessions.open(jane, 'me', ORIGIN);
    await expect(sessions.refresh(refreshToken, ['items'], ORIGIN)).rejects.toMatchObject({ response: { error: 'invalid_scope' } });
  });
});
