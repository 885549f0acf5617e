import { Redis } from 'ioredis';
import { redisTls } from '../config/tls-options';

/**
 * Every Redis connection of the service is made here. It fails at once while Redis is
 * unreachable, so that a request never waits on it, and speaks TLS for a `rediss://` URL,
 * verifying the server against REDIS_CA_FILE when set.
 */
export function createRedisClient(url: string, caFile?: string): Redis {
  const tls = redisTls(url, caFile);
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // How long closing waits for the socket to end: not ioredis's 2 s, which held up shutdown.
    disconnectTimeout: 500,
    ...(tls ? { tls } : {}),
  });
}
