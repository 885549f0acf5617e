import type { ThrottlerStorage } from '@nestjs/throttler';
import type { WindowCounters } from './window-counters';

/**
 * The throttler's storage over the window counters: a caller is blocked while its window holds
 * more hits than the limit (refused ones count too), until the window ends, which is the
 * Retry-After. The throttler's `blockDuration` plays no part.
 */
export function throttlerStorage(counters: WindowCounters): ThrottlerStorage {
  return {
    async increment(key, ttl, limit, _blockDuration, throttlerName) {
      const { hits, secondsLeft } = await counters.hit(`${throttlerName}:${key}`, ttl);
      const timeToExpire = Math.max(1, secondsLeft);
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? timeToExpire : 0,
      };
    },
  };
}
