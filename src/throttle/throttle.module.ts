import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { CounterStore, MemoryCounterStore, RedisCounterStore } from './counter-store.js';
import { IntrospectLimit } from './introspect-limit.js';
import { LoginThrottle } from './login-throttle.js';
import { MailLimit } from './mail-limit.js';
import { SignUpLimit } from './sign-up-limit.js';

export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        if (!config.redisUrl) return undefined;
        // No offline queue: while Redis is away, counting falls back to this process at once instead
        // of waiting. So the first connection is awaited here, before the first request can arrive.
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: true });
        redis.on('error', () => undefined); // reported by the counter store when it falls back
        await redis.connect().catch((error: Error) => {
          new Logger('RateLimits').warn(`Redis unavailable at start-up (${error.message}): rate limits count in this process until it answers`);
        });
        return redis;
      },
    },
    {
      provide: CounterStore,
      inject: [REDIS, AppConfig],
      useFactory: (redis: Redis | undefined, config: AppConfig) =>
        redis ? new RedisCounterStore(redis, `${config.redisKeyPrefix}ratelimit:`) : new MemoryCounterStore(),
    },
    LoginThrottle,
    SignUpLimit,
    MailLimit,
    IntrospectLimit,
  ],
  exports: [LoginThrottle, SignUpLimit, MailLimit, IntrospectLimit, REDIS],
})
export class ThrottleModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    // quit() would wait for a connection that may never come; disconnect() also stops reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis?.disconnect());
    else this.redis.disconnect();
  }
}
