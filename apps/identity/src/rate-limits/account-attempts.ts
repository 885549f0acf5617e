import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context';
import type { AppConfig, RateLimit } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { normalizeEmail } from '../users/email';
import { RateLimitRefusal } from './rate-limit-refusal';
import { WINDOW_COUNTERS, WindowCounters } from './window-counters';

/** The counter of an email: its normalised form, hashed so that no store holds addresses. */
export function accountKey(email: string): string {
  return `login_account:${createHash('sha256').update(normalizeEmail(email)).digest('hex')}`;
}

/**
 * LOGIN_ACCOUNT_LIMIT: failed logins and wrong MFA codes count per normalised email, from any IP,
 * whether or not an account has that email. Past the limit, every login for the email answers 429
 * until the window ends; a success resets nothing.
 */
@Injectable()
export class AccountAttempts {
  private readonly limit: RateLimit;

  constructor(
    @Inject(WINDOW_COUNTERS) private readonly counters: WindowCounters,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly refusal: RateLimitRefusal,
  ) {
    this.limit = config.loginAccountLimit;
  }

  /**
   * Throws 429 `rate_limited` (and audits it) once the email's failures reached the limit, the
   * same for a known and an unknown email. Call it before spending a password hash.
   */
  async assertAllowed(email: string, context: RequestContext): Promise<void> {
    const { hits, secondsLeft } = await this.counters.peek(accountKey(email));
    if (hits < this.limit.limit) return;
    await this.refusal.refuse('login_account', secondsLeft, context);
  }

  /** Counts one failed login or wrong code against the email. */
  async recordFailure(email: string): Promise<void> {
    await this.counters.hit(accountKey(email), this.limit.windowSeconds * 1000);
  }
}
