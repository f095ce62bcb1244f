import { jest } from '@jest/globals';
import type { RequestOrigin } from '../common/request-origin.js';
import type { AppConfig } from '../config/app-config.js';
import { PasswordCheck } from '../credentials/password-check.js';
import type { PasswordHasher } from '../password/password-hasher.js';
import type { AuditLog } from '../observability/audit-log.js';
import type { LoginThrottle } from '../throttle/login-throttle.js';
import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import type { AuthorizationCodes } from './authorization/authorization-codes.js';
import type { SessionsService } from './sessions/sessions.service.js';
import type { AccessTokenService } from './access-token.service.js';

const LOCAL: RequestOrigin = { address: '127.0.0.1', userAgent: null, requestId: 'req-1' };
const REMOTE: RequestOrigin = { address: '192.0.2.1', userAgent: 'curl/8', requestId: 'req-2' };

function makeUser(overrides: Partial<User> = {}): User {
  return { id: 'u1', username: 'johndoe', hashedPassword: '$argon2id$stored', disabled: false, tokenVersion: 0, ...overrides } as User;
}

/** `user` is found by name; `options.byEmail` by a verified address. */
function setUp(user: User | null, passwordMatches: boolean, options: { byEmail?: User; requireVerifiedEmail?: boolean } = {}) {
  const users = {
    findByUsername: jest.fn<UsersService['findByUsername']>().mockResolvedValue(user),
    findByVerifiedEmail: jest.fn<UsersService['findByVerifiedEmail']>().mockResolvedValue(options.byEmail ?? null),
  } as unknown as UsersService;
  const hasher = {
    verify: jest.fn<PasswordHasher['verify']>().mockResolvedValue(passwordMatches),
    verifyDummy: jest.fn<PasswordHasher['verifyDummy']>().mockResolvedValue(undefined),
    needsRehash: jest.fn<PasswordHasher['needsRehash']>().mockReturnValue(false),
  };
  const tokens = {} as AccessTokenService;
  const subjects: unknown[] = [];
  const throttle = {
    check: (subject: unknown, _address: unknown, verify: () => Promise<boolean>) => {
      subjects.push(subject);
      return verify();
    },
  } as unknown as LoginThrottle;
  const audit = { record: jest.fn<AuditLog['record']>() };
  const passwords = new PasswordCheck(hasher as unknown as PasswordHasher, throttle, audit as unknown as AuditLog);
  const service = new AuthService(users, hasher as unknown as PasswordHasher, tokens, {} as SessionsService, passwords, audit as unknown as AuditLog, {
    mail: { requireVerifiedEmail: options.requireVerifiedEmail ?? false },
  } as AppConfig, {} as AuthorizationCodes);
  return { service, hasher, audit, subjects, users };
}

describe('AuthService.authenticateUser', () => {
  it('returns the user for the right password', async () => {
    const { service } = setUp(makeUser(), true);
    await expect(service.authenticateUser('johndoe', 'secret', LOCAL)).resolves.toMatchObject({ username: 'johndoe' });
  });

  it('spends one password verification on an unknown user, then answers like a wrong password', async () => {
    const unknown = setUp(null, false);
    const wrong = setUp(makeUser(), false);
    const unknownError = await unknown.service.authenticateUser('nobody', 'x', LOCAL).catch((error) => error);
    const wrongError = await wrong.service.authenticateUser('johndoe', 'x', LOCAL).catch((error) => error);
    expect(unknown.hasher.verifyDummy).toHaveBeenCalledWith('x', '127.0.0.1');
    expect(wrong.hasher.verify).toHaveBeenCalledWith('$argon2id$stored', 'x', '127.0.0.1');
    expect(unknownError.getStatus()).toBe(401);
    expect(unknownError.getResponse()).toEqual(wrongError.getResponse());
  });

  it('tells a disabled user only after the right password', async () => {
    const right = setUp(makeUser({ disabled: true }), true);
    const wrong = setUp(makeUser({ disabled: true }), false);
    const inactive = await right.service.authenticateUser('johndoe', 'secret', LOCAL).catch((error) => error);
    const incorrect = await wrong.service.authenticateUser('johndoe', 'nope', LOCAL).catch((error) => error);
    expect(inactive.getStatus()).toBe(400);
    expect(inactive.getResponse()).toEqual({ detail: 'Inactive user' });
    expect(incorrect.getResponse()).toEqual({ detail: 'Incorrect username or password' });
  });

  it('finds a user by a verified address when no user has the name, counting the check against that account', async () => {
    const { service, subjects } = setUp(null, true, { byEmail: makeUser({ email: 'john@example.com', emailVerified: true }) });
    await expect(service.authenticateUser('John@Example.com', 'secret', LOCAL)).resolves.toMatchObject({ username: 'johndoe' });
    expect(subjects).toEqual([{ accountId: 'u1', name: 'John@Example.com' }]);
  });

  it('looks a name without @ up only as a username', async () => {
    const { service, users } = setUp(null, false);
    await service.authenticateUser('johndoe', 'secret', LOCAL).catch(() => undefined);
    expect(users.findByVerifiedEmail).not.toHaveBeenCalled();
  });

  it('with REQUIRE_VERIFIED_EMAIL, tells a user without a verified address only after the right password', async () => {
    for (const unverified of [makeUser({ email: null, emailVerified: false }), makeUser({ email: 'john@example.com', emailVerified: false })]) {
      const right = await setUp(unverified, true, { requireVerifiedEmail: true })
        .service.authenticateUser('johndoe', 'secret', LOCAL)
        .catch((error) => error);
      expect(right.getResponse()).toEqual({ detail: 'Email not verified' });
      const wrong = await setUp(unverified, false, { requireVerifiedEmail: true })
        .service.authenticateUser('johndoe', 'nope', LOCAL)
        .catch((error) => error);
      expect(wrong.getResponse()).toEqual({ detail: 'Incorrect username or password' });
    }
    const verified = setUp(makeUser({ email: 'john@example.com', emailVerified: true }), true, { requireVerifiedEmail: true });
    await expect(verified.service.authenticateUser('johndoe', 'secret', LOCAL)).resolves.toMatchObject({ username: 'johndoe' });
  });
});

describe('AuthService audit events', () => {
  it('records a wrong password with the user, and an unknown name without it, never the password', async () => {
    const wrong = setUp(makeUser(), false);
    await wrong.service.authenticateUser('johndoe', 'typed-secret', REMOTE).catch(() => undefined);
    expect(wrong.audit.record).toHaveBeenCalledWith('login.failed', expect.objectContaining({ reason: 'wrong_password', username: 'johndoe' }), REMOTE);

    const unknown = setUp(null, false);
    await unknown.service.authenticateUser('my-password-typed-as-name', 'typed-secret', REMOTE).catch(() => undefined);
    expect(unknown.audit.record).toHaveBeenCalledWith('login.failed', { reason: 'unknown_user' }, REMOTE);

    for (const call of [...wrong.audit.record.mock.calls, ...unknown.audit.record.mock.calls]) {
      expect(JSON.stringify(call)).not.toMatch(/typed-secret|my-password-typed-as-name/);
    }
  });
});
