import { jest } from '@jest/globals';
import type { AppConfig } from '../config/app-config.js';
import type { RequestOrigin } from '../common/request-origin.js';
import type { AuditLog } from '../observability/audit-log.js';
import type { PasswordHasher } from '../password/password-hasher.js';
import { MemoryCounterStore } from '../throttle/counter-store.js';
import { LoginRefused, LoginThrottle } from '../throttle/login-throttle.js';
import { PasswordCheck, type Account } from './password-check.js';

const ORIGIN: RequestOrigin = { address: '192.0.2.1', userAgent: 'curl/8', requestId: 'req-1' };
const JOHNDOE: Account = { id: 'u1', username: 'johndoe', hashedPassword: 'hash-of:secret' };

const LIMITS = {
  loginMaxFailures: 2,
  loginWindowSeconds: 900,
  loginAddressMaxFailures: 100,
  loginDelayMaxMs: 5000,
  passwordChecksPerAddress: 1000,
  passwordChecksWindowSeconds: 60,
} as AppConfig;

function setUp() {
  const hasher = {
    verify: jest.fn(async (hash: string, password: string) => hash === `hash-of:${password}`),
    verifyDummy: jest.fn(async () => undefined),
  };
  const audit = { record: jest.fn<AuditLog['record']>() };
  const check = new PasswordCheck(hasher as unknown as PasswordHasher, new LoginThrottle(new MemoryCounterStore(), LIMITS), audit as unknown as AuditLog);
  return { check, hasher, audit };
}

describe('PasswordCheck', () => {
  it("says yes to the account's own password, and records nothing", async () => {
    const { check, audit } = setUp();
    await expect(check.matches('johndoe', JOHNDOE, 'secret', ORIGIN)).resolves.toBe(true);
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('says no to a wrong password and records login.failed with the user and the request, never the password', async () => {
    const { check, audit } = setUp();
    await expect(check.matches('johndoe', JOHNDOE, 'typed-guess', ORIGIN)).resolves.toBe(false);
    expect(audit.record).toHaveBeenCalledWith('login.failed', { reason: 'wrong_password', username: 'johndoe', user_id: 'u1' }, ORIGIN);
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('typed-guess');
  });

  it('spends a verification on an unknown name too, and records it without the name', async () => {
    const { check, hasher, audit } = setUp();
    await expect(check.matches('my-password-as-name', null, 'secret', ORIGIN)).resolves.toBe(false);
    expect(hasher.verifyDummy).toHaveBeenCalledWith('secret', '192.0.2.1');
    expect(audit.record).toHaveBeenCalledWith('login.failed', { reason: 'unknown_user' }, ORIGIN);
  });

  it('refuses past LOGIN_MAX_FAILURES without checking, even the right password, and records login.locked_out', async () => {
    const { check, hasher, audit } = setUp();
    await check.matches('johndoe', JOHNDOE, 'wrong-1', ORIGIN);
    await check.matches('johndoe', JOHNDOE, 'wrong-2', ORIGIN);
    hasher.verify.mockClear();
    await expect(check.matches('johndoe', JOHNDOE, 'secret', ORIGIN)).rejects.toBeInstanceOf(LoginRefused);
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenLastCalledWith('login.locked_out', { username: 'johndoe' }, ORIGIN);
  });
});
