import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { SessionCleanup } from './session-cleanup.js';
import type { CleanupResult, SessionPurge } from './session-purge.js';

const DONE: CleanupResult = { skipped: false, sessions: 0, refreshTokens: 0, statements: 1, complete: true };

/** A cleanup whose deletion passes are `runOnce`, a fake SessionPurge the test controls. */
function cleanupEvery(seconds: number) {
  const runOnce = jest.fn<SessionPurge['deleteEnded']>(async () => DONE);
  const purge: Pick<SessionPurge, 'deleteEnded'> = { deleteEnded: runOnce };
  const cleanup = new SessionCleanup(purge as SessionPurge, { sessionCleanupIntervalSeconds: seconds } as AppConfig);
  return { cleanup, runOnce };
}

function deferred() {
  let resolve!: (result: CleanupResult) => void;
  const promise = new Promise<CleanupResult>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe('SessionCleanup', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

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
    // The failure is provoked here on purpose: its warning goes through Nest's Logger, silenced.
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    cleanup.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(runOnce).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith('Session cleanup failed: connection refused');
    await cleanup.beforeApplicationShutdown();
  });
});
