/**
 * A map whose entries lapse after their own deadline and which never holds more than `limit`:
 * past it the oldest entries go first. Memory stays bounded whatever callers send.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` until `until` (ms since the epoch); returns how many old entries were evicted. */
  set(key: K, value: V, until: number): number {
    this.entries.delete(key);
    this.entries.set(key, { value, until });
    let evicted = 0;
    if (this.entries.size > this.limit) this.sweep();
    // Insertion order is age order: the first keys are the oldest.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(oldest);
      evicted += 1;
    }
    return evicted;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops every lapsed entry. */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}
