/** A key's count in its open window, and the whole seconds until that window ends. */
export interface WindowCount {
  hits: number;
  secondsLeft: number;
}

/**
 * Fixed-window counters, what every limit counts in. The first hit on a key opens a window of
 * `windowMs`; every hit inside it counts, and the count starts again after it.
 */
export interface WindowCounters {
  /** Counts one hit and returns the window's count, this hit included. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The window's count without adding to it; no hits and 0 seconds when no window is open. */
  peek(key: string): Promise<WindowCount>;
}

export const WINDOW_COUNTERS = Symbol('WINDOW_COUNTERS');

export const NO_WINDOW: WindowCount = { hits: 0, secondsLeft: 0 };
