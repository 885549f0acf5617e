import {
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { createRedisClient } from '../common/redis-client';
import { FallbackCounters } from './fallback-counters';
import { MemoryCounters } from './memory-counters';
import { RedisCounters } from './redis-counters';
import { WINDOW_COUNTERS, WindowCounters } from './window-counters';

const REDIS_CLIENT = Symbol('RATE_LIMIT_REDIS_CLIENT');

function countersFor(config: AppConfig, redis: Redis | null): WindowCounters {
  const memory = new MemoryCounters();
  if (!redis) return memory;
  const counters = new FallbackCounters(new RedisCounters(redis, config.redisKeyPrefix), memory);
  redis.on('error', (error: unknown) => counters.reportFailure(error));
  return counters;
}

/** Connects at start (a failure only warns: memory counts until Redis answers); closes at shutdown. */
@Injectable()
class RedisConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationBootstrap(): Promise<void> {
    // The client's 'error' listener has already reported why.
    await this.redis?.connect().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}

/** The counters of every limit: in Redis when REDIS_URL is set, else in this instance's memory. */
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? createRedisClient(config.redisUrl, config.redisCaFile) : null,
    },
    { provide: WINDOW_COUNTERS, inject: [APP_CONFIG, REDIS_CLIENT], useFactory: countersFor },
    RedisConnection,
  ],
  exports: [WINDOW_COUNTERS],
})
export class RateLimitCountersModule {}
