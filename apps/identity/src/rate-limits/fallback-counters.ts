import { Logger } from '@nestjs/common';
import type { WindowCount, WindowCounters } from './window-counters';

const WARNING_INTERVAL_MS = 60_000;

/** Adds what this instance counted in memory while Redis was away, until that window ends. */
function withLocal(shared: WindowCount, local: WindowCount): WindowCount {
  if (local.hits === 0) return shared;
  return {
    hits: shared.hits + local.hits,
    secondsLeft: Math.max(shared.secondsLeft, local.secondsLeft),
  };
}

/**
 * Redis first; when a call to it fails, that call counts in this instance's memory instead: a
 * Redis outage weakens the limits to one instance's share, never to no limit. Once Redis answers
 * again, the hits counted in memory still count on top of Redis's until their window ends, so
 * that an IP or account limited during the outage does not start afresh. Warns at most once a
 * minute.
 */
export class FallbackCounters implements WindowCounters {
  private warnedAt = -Infinity;

  constructor(
    private readonly primary: WindowCounters,
    private readonly fallback: WindowCounters,
    private readonly logger: Pick<Logger, 'warn'> = new Logger('RateLimits'),
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string, windowMs: number): Promise<WindowCount> {
    return this.attempt(key, (counters) => counters.hit(key, windowMs));
  }

  peek(key: string): Promise<WindowCount> {
    return this.attempt(key, (counters) => counters.peek(key));
  }

  /** Notes a failure of the shared counters (also the Redis client's own connection errors). */
  reportFailure(error: unknown): void {
    const now = this.now();
    if (now - this.warnedAt < WARNING_INTERVAL_MS) return;
    this.warnedAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Redis is unavailable (${reason}); rate limits count in this instance only`);
  }

  private async attempt(key: string, call: (counters: WindowCounters) => Promise<WindowCount>) {
    let shared: WindowCount;
    try {
      shared = await call(this.primary);
    } catch (error) {
      this.reportFailure(error);
      return call(this.fallback);
    }
    return withLocal(shared, await this.fallback.peek(key));
  }
}
