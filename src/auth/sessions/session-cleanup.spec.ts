import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { SessionCleanup, type CleanupLimits, type CleanupResult } from './session-cleanup.js';

const DONE: CleanupResult = { skipped: false, sessions: 0, refreshTokens: 0, statements: 1, complete: true };

/** A cleanup whose runs against the database are `runOnce`, a mock the test controls. */
function cleanupEvery(seconds: number) {
  const cleanup = new SessionCleanup({} as DataSource, { sessionCleanupIntervalSeconds: seconds } as AppConfig);
  const runOnce = jest.fn<(limits: CleanupLimits) => Promise<CleanupResult>>(async () => DONE);
  (cleanup as unknown as { runOnce: typeof runOnce }).runOnce = runOnce;
  return { cleanup, runOnce };
}

function deferred() {
  let resolve!: (result: CleanupResult) => void;
  const promise = new Promise<CleanupResult>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe('SessionCleanup', () => {
  afterEach(() => jest.useRealTimers());

  it('runs every SESSION_CLEANUP_INTERVAL_SECONDS on a timer that does not keep the process alive', async () => {
    jest.useFakeTimers();
    const setIntervalSpy = jest.spyOn(globalThis, 'setInterval');
    const { cleanup, runOnce } = cleanupEvery(600);
    cleanup.onApplicationBootstrap();
    const timer = setIntervalSpy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);

    await jest.advanceTimersByTimeAsync(599_999);
    expect(runOnce).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(runOnce).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(runOnce).toHaveBeenCalledTimes(2);
    await cleanup.beforeApplicationShutdown();
    setIntervalSpy.mockRestore();
  });

  it('never runs when SESSION_CLEANUP_INTERVAL_SECONDS is 0', async () => {
    jest.useFakeTimers();
    const { cleanup, runOnce } = cleanupEvery(0);
    cleanup.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(runOnce).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops at shutdown, once the run under way has finished', async () => {
    jest.useFakeTimers();
    const { cleanup, runOnce } = cleanupEvery(60);
    const underWay = deferred();
    runOnce.mockReturnValueOnce(underWay.promise);
    cleanup.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runOnce).toHaveBeenCalledTimes(1);

    let stopped = false;
    const shutdown = cleanup.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    underWay.resolve(DONE);
    await shutdown;
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(runOnce).toHaveBeenCalledTimes(1);
  });

  it('shares one run among calls made while it is under way on this instance', async () => {
    const { cleanup, runOnce } = cleanupEvery(0);
    const underWay = deferred();
    runOnce.mockReturnValueOnce(underWay.promise);
    const results = Promise.all([cleanup.run(), cleanup.run()]);
    underWay.resolve(DONE);
    expect(await results).toEqual([DONE, DONE]);
    expect(runOnce).toHaveBeenCalledTimes(1);
    expect(await cleanup.run()).toEqual(DONE);
    expect(runOnce).toHaveBeenCalledTimes(2);
  });

  it('keeps its timer going when a run fails (the database may be away for a while)', async () => {
    jest.useFakeTimers();
    const { cleanup, runOnce } = cleanupEvery(60);
    runOnce.mockRejectedValueOnce(new Error('connection refused'));
    const warn = jest.spyOn((cleanup as unknown as { logger: { warn: (message: string) => void } }).logger, 'warn').mockImplementation(() => undefined);
    cleanup.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(runOnce).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith('Session cleanup failed: connection refused');
    await cleanup.beforeApplicationShutdown();
  });
});
