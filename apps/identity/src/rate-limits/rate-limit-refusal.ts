import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { MetricsService } from '../metrics/metrics.service';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import type { LimitName } from './route-limits';

/** The 429 of every limit: problem code `rate_limited` and Retry-After in whole seconds. */
export function rateLimited(retryAfterSeconds: number): Problem {
  return new Problem(
    429,
    'rate_limited',
    'Too many requests',
    'Too many attempts; wait as many seconds as Retry-After says, then try again.',
    { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } },
  );
}

/** Refuses a request that went over a limit, with an audit event `rate_limited` naming the limit. */
@Injectable()
export class RateLimitRefusal {
  constructor(
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Throws {@link rateLimited}, after recording the event unless `record` is false (this window's
   * refusal is already on record). The event names the limit only: no email, no token.
   */
  async refuse(
    limit: LimitName,
    retryAfterSeconds: number,
    context: RequestContext,
    record = true,
  ): Promise<never> {
    this.metrics.countRateLimited(limit);
    if (record) {
      await this.audit.record(
        { type: 'rate_limited', outcome: 'failure', details: { limit } },
        context,
      );
    }
    throw rateLimited(retryAfterSeconds);
  }
}
