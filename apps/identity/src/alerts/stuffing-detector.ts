/** How many different accounts one address may fail on within a window before it is reported. */
export const STUFFING_ACCOUNTS = 10;
export const STUFFING_WINDOW_MS = 15 * 60_000;
/** Addresses tracked at once; past it the oldest window is forgotten, bounding memory. */
const MAX_TRACKED = 10_000;

interface Window {
  startedAt: number;
  accounts: Set<string>;
  unknownEmails: number;
  reported: boolean;
}

/**
 * Notices one client address failing logins across many accounts (credential stuffing), in this
 * instance's memory: each instance sees its share of the traffic, so behind a load balancer the
 * threshold is reached later. Failures for unknown emails count as one account each, since a
 * stuffing list is mostly addresses that have no account here.
 */
export class StuffingDetector {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a failed login; true exactly once per window, when the address crosses the threshold. */
  failedLogin(ip: string, accountId: string | null): boolean {
    const now = this.now();
    let window = this.windows.get(ip);
    if (!window || now - window.startedAt >= STUFFING_WINDOW_MS) {
      this.windows.delete(ip);
      if (this.windows.size >= MAX_TRACKED) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      window = { startedAt: now, accounts: new Set(), unknownEmails: 0, reported: false };
      this.windows.set(ip, window);
    }
    if (accountId) window.accounts.add(accountId);
    else window.unknownEmails += 1;
    if (window.reported || window.accounts.size + window.unknownEmails < STUFFING_ACCOUNTS) {
      return false;
    }
    window.reported = true;
    return true;
  }
}
