/**
 * Answers that never change (a comparison of two shas), kept for the `maxEntries` most recently
 * used keys. Concurrent asks for one key share one load; a failed load is forgotten, so the next
 * ask tries again. `keep` decides whether a loaded answer is worth keeping.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(
    private readonly maxEntries: number,
    private readonly keep: (value: V) => boolean = () => true,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`an LRU cache holds at least one entry, not ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the key as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = load();
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const forget = () => {
      if (this.entries.get(key) === value) this.entries.delete(key);
    };
    value.then((loaded) => (this.keep(loaded) ? undefined : forget()), forget);
    return value;
  }
}
