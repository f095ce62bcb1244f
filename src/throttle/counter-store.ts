// Counters and gates for rate limits: in this process by default, in Redis when REDIS_URL is set
// so that several instances count together. Every operation is atomic (one synchronous step here,
// one transaction or script in Redis), so a burst of concurrent requests cannot read a count
// before any of them writes it. If Redis cannot be reached, counting falls back to this process
// (and says so in the log) rather than refusing every login.
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface Counter {
  count: number;
  /** Epoch milliseconds at which the window ends and the count starts again from zero. */
  resetAt: number;
}

export abstract class CounterStore {
  /** Adds one to `key` (a fixed window of `windowMs` starting at its first count) and returns it. */
  abstract increment(key: string, windowMs: number): Promise<Counter>;
  /** Takes one back (a refund); a key that has expired meanwhile stays gone. */
  abstract decrement(key: string): Promise<void>;
  abstract peek(key: string): Promise<Counter | undefined>;
  abstract reset(key: string): Promise<void>;
  /**
   * Takes `key` for `ms` if nobody holds it (answers 0), else answers the milliseconds until it is
   * free: a gate that lets one caller through at a time.
   */
  abstract acquire(key: string, ms: number): Promise<number>;
  /** Holds `key` for `ms` from now, whoever held it (0: frees it). */
  abstract hold(key: string, ms: number): Promise<void>;
}

const SWEEP_EVERY = 1000;
/** Beyond this many live keys the oldest are dropped: a flood of names cannot grow the map without end. */
export const MEMORY_STORE_MAX_KEYS = 200_000;

export class MemoryCounterStore extends CounterStore {
  private readonly counters = new Map<string, Counter>();
  private writes = 0;

  constructor(private readonly maxKeys = MEMORY_STORE_MAX_KEYS) {
    super();
  }

  async increment(key: string, windowMs: number): Promise<Counter> {
    const now = Date.now();
    const counter = this.current(key, now) ?? this.create(key, now + windowMs);
    counter.count += 1;
    if (++this.writes % SWEEP_EVERY === 0) this.sweep(now);
    return { ...counter };
  }

  async decrement(key: string): Promise<void> {
    const counter = this.current(key, Date.now());
    if (counter && counter.count > 0) counter.count -= 1;
  }

  async peek(key: string): Promise<Counter | undefined> {
    const counter = this.current(key, Date.now());
    return counter && { ...counter };
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  async acquire(key: string, ms: number): Promise<number> {
    const now = Date.now();
    const gate = this.current(key, now);
    if (gate) return gate.resetAt - now;
    this.create(key, now + ms);
    return 0;
  }

  async hold(key: string, ms: number): Promise<void> {
    this.counters.delete(key);
    if (ms > 0) this.create(key, Date.now() + ms);
  }

  private create(key: string, resetAt: number): Counter {
    const counter = { count: 0, resetAt };
    this.counters.set(key, counter);
    if (this.counters.size > this.maxKeys) this.counters.delete(this.counters.keys().next().value!);
    return counter;
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

/** DECR only while the key lives: a refund never creates a key without an expiry. */
const DECREMENT_IF_PRESENT = `if redis.call('exists', KEYS[1]) == 1 and tonumber(redis.call('get', KEYS[1])) > 0 then return redis.call('decr', KEYS[1]) end return 0`;

/** Takes the key for ARGV[1] ms if nobody holds it (0), else answers the time it is still held. */
const ACQUIRE = `if redis.call('set', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 0 end local left = redis.call('pttl', KEYS[1]) if left < 1 then return 1 end return left`;

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

  decrement(key: string): Promise<void> {
    return this.shared(
      async () => {
        await this.redis.eval(DECREMENT_IF_PRESENT, 1, this.prefix + key);
      },
      () => this.fallback.decrement(key),
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

  acquire(key: string, ms: number): Promise<number> {
    return this.shared(
      async () => Number(await this.redis.eval(ACQUIRE, 1, this.prefix + key, ms)),
      () => this.fallback.acquire(key, ms),
    );
  }

  hold(key: string, ms: number): Promise<void> {
    return this.shared(
      async () => {
        if (ms > 0) await this.redis.set(this.prefix + key, '1', 'PX', ms);
        else await this.redis.del(this.prefix + key);
      },
      () => this.fallback.hold(key, ms),
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
