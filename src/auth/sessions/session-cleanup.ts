// When the session cleanup runs: a deletion pass (SessionPurge, which says what it deletes and how
// its cost is bounded) every SESSION_CLEANUP_INTERVAL_SECONDS (0: never), on every instance, one pass
// at a time on each; on PostgreSQL the pass itself lets one instance at a time delete, and the others
// skip their turn.
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { DEFAULT_CLEANUP_LIMITS, SessionPurge, type CleanupLimits, type CleanupResult } from './session-purge.js';

@Injectable()
export class SessionCleanup implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SessionCleanup');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CleanupResult> | undefined;

  constructor(
    private readonly purge: SessionPurge,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.sessionCleanupIntervalSeconds;
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.runScheduled(), seconds * 1000);
    // The timer never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Before the database connections close: no new run, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * One run, unless another is under way: on this instance (then its result is shared) or, on
   * PostgreSQL, on another instance (then this one reports that it skipped).
   */
  run(limits: CleanupLimits = DEFAULT_CLEANUP_LIMITS): Promise<CleanupResult> {
    if (!this.running) {
      this.running = this.purge.deleteEnded(limits).finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async runScheduled(): Promise<void> {
    try {
      const result = await this.run();
      if (result.skipped) this.logger.debug('Another instance is cleaning up sessions; skipped');
      else if (result.sessions + result.refreshTokens > 0) {
        this.logger.log({ msg: 'Deleted expired sessions and refresh tokens', sessions: result.sessions, refresh_tokens: result.refreshTokens, complete: result.complete });
      }
    } catch (error) {
      // The database may be away for a while; the next run tries again.
      this.logger.warn(`Session cleanup failed: ${(error as Error).message}`);
    }
  }
}
