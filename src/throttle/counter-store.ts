// Fixed-window counters for rate limits: in this process by default, in Redis when REDIS_URL is
// set so that several instances count together. If Redis cannot be reached, counting falls back to
// this process (and says so in the log) rather than refusing every login.
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface Counter {
  count: number;
  /** Epoch milliseconds at which the window ends and the count starts again from zero. */
  resetAt: number;
}

export abstract class CounterStore {
  abstract increment(key: string, windowMs: number): Promise<Counter>;
  abstract peek(key: string): Promise<Counter | undefined>;
  abstract reset(key: string): Promise<void>;
}

const SWEEP_EVERY = 1000;

export class MemoryCounterStore extends CounterStore {
  private readonly counters = new Map<string, Counter>();
  private writes = 0;

  async increment(key: string, windowMs: number): Promise<Counter> {
    const now = Date.now();
    let counter = this.current(key, now);
    if (!counter) {
      counter = { count: 0, resetAt: now + windowMs };
      this.counters.set(key, counter);
    }
    counter.count += 1;
    if (++this.writes % SWEEP_EVERY === 0) this.sweep(now);
    return { ...counter };
  }

  async peek(key: string): Promise<Counter | undefined> {
    const counter = this.current(key, Date.now());
    return counter && { ...counter };
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  private current(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.resetAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private sweep(now: number): void {
    for (const [key, counter] of this.counters) if (counter.resetAt <= now) this.counters.delete(key);
  }
}

export class RedisCounterStore extends CounterStore {
  private readonly logger = new Logger('RateLimits');
  private readonly fallback = new MemoryCounterStore();
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  increment(key: string, windowMs: number): Promise<Counter> {
    return this.shared(
      async () => {
        const result = await this.redis
          .multi()
          .incr(this.prefix + key)
          .pexpire(this.prefix + key, windowMs, 'NX')
          .pttl(this.prefix + key)
          .exec();
        return this.counterOf(result, 0, 2);
      },
      () => this.fallback.increment(key, windowMs),
    );
  }

  peek(key: string): Promise<Counter | undefined> {
    return this.shared(
      async () => {
        const result = await this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec();
        return result?.[0]?.[1] === null ? undefined : this.counterOf(result, 0, 1);
      },
      () => this.fallback.peek(key),
    );
  }

  reset(key: string): Promise<void> {
    return this.shared(
      async () => {
        await this.redis.del(this.prefix + key);
      },
      () => this.fallback.reset(key),
    );
  }

  private counterOf(result: [Error | null, unknown][] | null, countAt: number, ttlAt: number): Counter {
    if (!result || result.some(([error]) => error)) throw result?.find(([error]) => error)?.[0] ?? new Error('Redis transaction failed');
    return { count: Number(result[countAt][1]), resetAt: Date.now() + Math.max(0, Number(result[ttlAt][1])) };
  }

  private async shared<T>(inRedis: () => Promise<T>, inProcess: () => Promise<T>): Promise<T> {
    try {
      const value = await inRedis();
      if (this.degraded) this.logger.log('Redis is back: rate limits are shared again');
      this.degraded = false;
      return value;
    } catch (error) {
      if (!this.degraded) {
        this.logger.warn(`Redis unavailable (${(error as Error).message}): rate limits count in this process only`);
      }
      this.degraded = true;
      return inProcess();
    }
  }
}
