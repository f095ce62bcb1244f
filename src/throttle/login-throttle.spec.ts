import type { AppConfig } from '../config/app-config.js';
import { MemoryCounterStore } from './counter-store.js';
import { LoginRefused, LoginThrottle } from './login-throttle.js';

const LIMITS = {
  loginMaxFailures: 5,
  loginWindowSeconds: 900,
  loginAddressMaxFailures: 8,
  loginDelayMaxMs: 60_000,
  passwordChecksPerAddress: 1000,
  passwordChecksWindowSeconds: 60,
};

function throttleWith(limits: Partial<typeof LIMITS> = {}) {
  return new LoginThrottle(new MemoryCounterStore(), { ...LIMITS, ...limits } as AppConfig);
}

/** A password check that takes a little while, so that concurrent ones overlap. */
function slowCheck(result: boolean, calls: { count: number }) {
  return async () => {
    calls.count += 1;
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  };
}

const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
const refusedCount = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((result) => result.status === 'rejected' && result.reason instanceof LoginRefused).length;

describe('LoginThrottle', () => {
  it('checks at most LOGIN_MAX_FAILURES of a burst of guesses from one address', async () => {
    const throttle = throttleWith();
    const calls = { count: 0 };
    const results = await settled(Array.from({ length: 25 }, () => throttle.check({ accountId: 'a' }, '192.0.2.1', slowCheck(false, calls))));
    expect(calls.count).toBe(5);
    expect(refusedCount(results)).toBe(20);
  });

  it('checks at most LOGIN_ADDRESS_MAX_FAILURES of a burst spread over many names from one address', async () => {
    const throttle = throttleWith();
    const calls = { count: 0 };
    await settled(Array.from({ length: 25 }, (_, i) => throttle.check({ name: `user${i}` }, '192.0.2.2', slowCheck(false, calls))));
    expect(calls.count).toBe(8);
  });

  it('refunds a success: the right password does not use up the budget', async () => {
    const throttle = throttleWith();
    const calls = { count: 0 };
    for (let i = 0; i < 20; i += 1) await throttle.check({ accountId: 'b' }, '192.0.2.3', slowCheck(true, calls));
    for (let i = 0; i < 5; i += 1) await throttle.check({ accountId: 'b' }, '192.0.2.3', slowCheck(false, calls));
    await expect(throttle.check({ accountId: 'b' }, '192.0.2.3', slowCheck(true, calls))).rejects.toBeInstanceOf(LoginRefused);
    expect(calls.count).toBe(25);
  });

  it('lets one check at a time through for an account past its failures, from any address', async () => {
    const throttle = throttleWith({ loginMaxFailures: 2 });
    const calls = { count: 0 };
    for (const address of ['198.51.100.1', '198.51.100.2']) await throttle.check({ accountId: 'c' }, address, slowCheck(false, calls));
    const results = await settled(
      ['198.51.100.3', '198.51.100.4', '198.51.100.5', '198.51.100.6', '198.51.100.7', '198.51.100.8'].map((address) =>
        throttle.check({ accountId: 'c' }, address, slowCheck(false, calls)),
      ),
    );
    expect(calls.count).toBe(3);
    expect(refusedCount(results)).toBe(5);
    const refusal = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason as LoginRefused;
    expect(refusal.getStatus()).toBe(429);
    expect(Number(refusal.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('never holds up an address that logged in as the account within the window', async () => {
    const throttle = throttleWith({ loginMaxFailures: 2 });
    const calls = { count: 0 };
    await throttle.check({ accountId: 'd' }, '203.0.113.1', slowCheck(true, calls));
    for (let i = 0; i < 10; i += 1) await throttle.check({ accountId: 'd' }, `198.51.100.${i}`, slowCheck(false, calls)).catch(() => undefined);
    await expect(throttle.check({ accountId: 'd' }, '198.51.100.200', slowCheck(true, calls))).rejects.toBeInstanceOf(LoginRefused);
    await expect(throttle.check({ accountId: 'd' }, '203.0.113.1', slowCheck(true, calls))).resolves.toBe(true);
  });

  it('counts a name by its normalised form: case and compatibility forms share one budget', async () => {
    const throttle = throttleWith({ loginMaxFailures: 2 });
    const calls = { count: 0 };
    for (const name of ['Ghost', 'ghost', 'ＧＨＯＳＴ']) await throttle.check({ name }, '192.0.2.9', slowCheck(false, calls)).catch(() => undefined);
    expect(calls.count).toBe(2);
  });

  it('counts a check that could not run (hashing queue full) as nothing', async () => {
    const throttle = throttleWith({ loginMaxFailures: 1 });
    for (let i = 0; i < 3; i += 1) {
      await expect(throttle.check({ accountId: 'e' }, '192.0.2.10', () => Promise.reject(new Error('busy')))).rejects.toThrow('busy');
    }
    await expect(throttle.check({ accountId: 'e' }, '192.0.2.10', async () => true)).resolves.toBe(true);
  });

  it("does not count a check that could not run against the address's rate", async () => {
    const throttle = throttleWith({ passwordChecksPerAddress: 2 });
    for (let i = 0; i < 3; i += 1) await throttle.check({ accountId: 'g' }, '192.0.2.14', () => Promise.reject(new Error('busy'))).catch(() => undefined);
    await expect(throttle.check({ accountId: 'g' }, '192.0.2.14', async () => true)).resolves.toBe(true);
  });

  it('limits password checks per address, successes included', async () => {
    const throttle = throttleWith({ passwordChecksPerAddress: 3 });
    for (let i = 0; i < 3; i += 1) await throttle.check({ accountId: 'f' }, '192.0.2.11', async () => true);
    await expect(throttle.check({ accountId: 'f' }, '192.0.2.11', async () => true)).rejects.toBeInstanceOf(LoginRefused);
    await expect(throttle.check({ accountId: 'f' }, '192.0.2.12', async () => true)).resolves.toBe(true);
  });
});
