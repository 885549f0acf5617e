import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Redis } from 'ioredis';
import { NO_WINDOW, WindowCount, WindowCounters } from './window-counters';

/** The library's own block (a second key) is never set: the window alone decides, as in memory. */
const NEVER_BLOCKS = Number.MAX_SAFE_INTEGER;
const THROTTLER_NAME = 'window';

/**
 * Counters in Redis, shared by every instance: @nest-lab/throttler-storage-redis counts (one
 * atomic script per hit), under `prefix` so that several services can share a Redis.
 */
export class RedisCounters implements WindowCounters {
  private readonly counter: ThrottlerStorageRedisService;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.counter = new ThrottlerStorageRedisService(redis);
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const { totalHits, timeToExpire } = await this.counter.increment(
      this.prefix + key,
      windowMs,
      NEVER_BLOCKS,
      windowMs,
      THROTTLER_NAME,
    );
    return { hits: totalHits, secondsLeft: timeToExpire };
  }

  async peek(key: string): Promise<WindowCount> {
    // The key that ThrottlerStorageRedisService.increment counts in.
    const hitKey = `{${this.prefix}${key}:${THROTTLER_NAME}}:hits`;
    const [hits, msLeft] = await Promise.all([this.redis.get(hitKey), this.redis.pttl(hitKey)]);
    if (hits === null || msLeft <= 0) return NO_WINDOW;
    return { hits: Number(hits), secondsLeft: Math.ceil(msLeft / 1000) };
  }
}
