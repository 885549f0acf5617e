import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { RevocationFeed } from './revocation-feed';

/** How often, while anyone waits, the instance looks for new revocations. */
export const POLL_INTERVAL_MS = 250;

interface Waiter {
  /** The snapshot the waiter's last read saw. */
  after: string;
  wake(): void;
}

/**
 * Holds long-poll requests without holding a database connection: while at least one waits, a
 * single timer per instance asks, in one query every {@link POLL_INTERVAL_MS}, which of their
 * snapshots have revocations committed after them, and wakes those waiters. Polling (not
 * LISTEN/NOTIFY) works the same on PGlite, which has one connection that a listener would keep,
 * and on PostgreSQL behind any pooler.
 */
@Injectable()
export class RevocationWaiters implements OnModuleDestroy {
  private readonly logger = new Logger('Revocations');
  private readonly waiters = new Set<Waiter>();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private closed = false;

  constructor(private readonly feed: RevocationFeed) {}

  /**
   * Resolves once something newer than `after` is settled, after `seconds`, when `abort` fires
   * (the client went away), or at shutdown, whichever is first. Never rejects.
   */
  waitForNewer(after: string, seconds: number, abort: AbortSignal): Promise<void> {
    if (this.closed || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        after,
        wake: () => {
          clearTimeout(deadline);
          abort.removeEventListener('abort', waiter.wake);
          this.waiters.delete(waiter);
          if (this.waiters.size === 0) this.stopTimer();
          resolve();
        },
      };
      const deadline = setTimeout(waiter.wake, seconds * 1000);
      abort.addEventListener('abort', waiter.wake, { once: true });
      this.waiters.add(waiter);
      this.timer ??= setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    });
  }

  onModuleDestroy(): void {
    // Held requests answer now, so that a shutdown is not kept waiting for up to 30 s.
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.wake();
    this.stopTimer();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const waiting = [...this.waiters];
      const snapshots = [...new Set(waiting.map((waiter) => waiter.after))];
      const news = await this.feed.withNews(snapshots);
      for (const waiter of waiting) {
        if (news.has(snapshots.indexOf(waiter.after))) waiter.wake();
      }
    } catch (err) {
      // The held requests read again when their time is up, and answer 503 if it still fails.
      this.logger.warn({ err }, 'looking for new revocations failed');
    } finally {
      this.polling = false;
    }
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
