/**
 * Answers remembered for a short while. Concurrent asks for the same key share one lookup;
 * failures are not remembered.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > at) return hit.value;
    if (this.entries.size >= this.maxEntries) this.evictExpired(at);
    const value = load();
    const entry = { value, expiresAt: at + this.ttlMs };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Remember an answer learned some other way, unless a live one is already there. */
  seed(key: string, value: V): void {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > at) return;
    if (this.entries.size >= this.maxEntries) this.evictExpired(at);
    this.entries.set(key, { value: Promise.resolve(value), expiresAt: at + this.ttlMs });
  }

  private evictExpired(at: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= at) this.entries.delete(key);
    // Still full of live entries: drop the oldest rather than grow without bound.
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
