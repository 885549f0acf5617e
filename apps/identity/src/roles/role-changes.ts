import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { createRedisClient } from '../common/redis-client';
import { PermissionCache, SHORT_TTL_MS } from './permission-cache';

const FALLBACK = `role changes reach this instance within ${SHORT_TTL_MS / 1000} s`;

/** Retries of a failed announcement; together they outlast the safety TTL of every peer. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/**
 * Tells every instance that roles changed, so that their permission caches forget at once. With
 * REDIS_URL: a publisher and a dedicated subscriber connection on one channel under the key prefix.
 * Without it, or while the subscription is down, peers rely on the cache's short TTL instead.
 */
@Injectable()
export class RoleChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RoleChanges');
  private readonly channel: string;
  private readonly publisher: Redis | null = null;
  private readonly subscriber: Redis | null = null;
  private readonly retries = new Set<NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly cache: PermissionCache,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = `${config.redisKeyPrefix}roles:changed`;
    if (!config.redisUrl) return;
    this.publisher = createRedisClient(config.redisUrl, config.redisCaFile);
    this.subscriber = createRedisClient(config.redisUrl, config.redisCaFile);
    // Errors also surface as 'close' or a failed command; a listener keeps them off stderr.
    this.publisher.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => this.unsubscribed());
    this.subscriber.on('message', (channel: string) => {
      if (channel === this.channel) this.cache.invalidate();
    });
  }

  /** Connects before the app starts serving; a failure only warns, and ioredis keeps retrying. */
  async onModuleInit(): Promise<void> {
    if (!this.publisher || !this.subscriber) return;
    const connected = await Promise.all([
      this.publisher.connect().then(
        () => true,
        () => false,
      ),
      this.subscriber.connect().then(
        () => true,
        () => false,
      ),
    ]);
    if (connected.includes(false)) {
      this.logger.warn(`Redis is unreachable: ${FALLBACK}`);
    }
  }

  onApplicationShutdown(): void {
    this.closing = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }

  /** Call after a role change has committed: this instance forgets now, the others on the message. */
  async announce(): Promise<void> {
    this.cache.invalidate();
    await this.publish(0);
  }

  private async publish(attempt: number): Promise<void> {
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, 'changed');
    } catch {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        this.logger.warn('could not announce a role change; peers catch up by their TTL');
        return;
      }
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        void this.publish(attempt + 1);
      }, delay);
      timer.unref();
      this.retries.add(timer);
    }
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel);
    } catch {
      return; // The next 'ready' tries again; until then the short TTL holds.
    }
    if (!this.cache.changesAnnounced) this.logger.log('role changes arrive through Redis');
    this.cache.changesAnnounced = true;
  }

  private unsubscribed(): void {
    if (this.cache.changesAnnounced && !this.closing) {
      this.logger.warn(`lost the Redis subscription: ${FALLBACK}`);
    }
    this.cache.changesAnnounced = false;
  }
}
