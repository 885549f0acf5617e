import { Logger } from '@nestjs/common';

/** Delays before the second, third and fourth attempt. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000];
const ATTEMPT_TIMEOUT_MS = 5_000;
/** Alerts waiting at once; past it new ones are dropped with a warning rather than piling up. */
const MAX_PENDING = 1_000;

/**
 * Posts JSON to the alert webhook off the request path: `send` only queues. A failed post (an
 * error, a timeout or a non-2xx answer) is tried again after each of {@link RETRY_DELAYS_MS}.
 */
export class WebhookSender {
  private readonly logger = new Logger('Alerts');
  private pending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly delays: number[] = RETRY_DELAYS_MS,
  ) {}

  send(payload: object): void {
    if (this.closed) return;
    if (this.pending >= MAX_PENDING) {
      this.logger.warn({ pending: this.pending }, 'alert dropped: too many alerts are waiting');
      return;
    }
    this.pending += 1;
    this.attempt(JSON.stringify(payload), 0);
  }

  /** Stops retrying; alerts still waiting for a retry are given up (and logged). */
  close(): void {
    this.closed = true;
    if (this.timers.size > 0) {
      this.logger.warn(
        { dropped: this.timers.size },
        'alerts still waiting for a retry at shutdown',
      );
    }
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private attempt(body: string, tries: number): void {
    this.post(body).then(
      () => (this.pending -= 1),
      (err: unknown) => {
        const delay = this.delays[tries];
        if (delay === undefined || this.closed) {
          this.pending -= 1;
          this.logger.error({ err, attempts: tries + 1 }, 'alert could not be delivered');
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(body, tries + 1);
        }, delay);
        timer.unref();
        this.timers.add(timer);
      },
    );
  }

  private async post(body: string): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tessera-alerts' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
  }
}
