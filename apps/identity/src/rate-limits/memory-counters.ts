import { NO_WINDOW, WindowCount, WindowCounters } from './window-counters';

const SWEEP_INTERVAL_MS = 60_000;

interface Window {
  hits: number;
  endsAt: number;
}

/** Counters in this instance's memory: without REDIS_URL, and whenever Redis fails. */
export class MemoryCounters implements WindowCounters {
  private readonly windows = new Map<string, Window>();
  private sweptAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.sweptAt = now();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return { hits: window.hits, secondsLeft: secondsUntil(window.endsAt, now) };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now) return NO_WINDOW;
    return { hits: window.hits, secondsLeft: secondsUntil(window.endsAt, now) };
  }

  /** How many windows are held (ended ones go at the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  /** Drops ended windows, at most once a minute, so that memory holds only live keys. */
  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(key);
    }
  }
}

function secondsUntil(endsAt: number, now: number): number {
  return Math.ceil((endsAt - now) / 1000);
}
