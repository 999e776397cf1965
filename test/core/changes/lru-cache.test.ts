import { LruCache } from "../../../src/core/changes/lru-cache.js";

describe("LruCache", () => {
  test("concurrent asks share one load; later asks are answered from memory", async () => {
    const cache = new LruCache<number>(3);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("a", load), cache.get("a", load)])).toEqual([1, 1]);
    expect(await cache.get("a", load)).toBe(1);
    expect(loads).toBe(1);
  });

  test("holds at most maxEntries, evicting the least recently used", async () => {
    const cache = new LruCache<string>(2);
    const loaded: string[] = [];
    const load = (key: string) => async () => (loaded.push(key), key);
    await cache.get("a", load("a"));
    await cache.get("b", load("b"));
    await cache.get("a", load("a")); // a is now the most recent
    await cache.get("c", load("c")); // evicts b
    expect(cache.size).toBe(2);
    await cache.get("a", load("a"));
    await cache.get("b", load("b"));
    expect(loaded).toEqual(["a", "b", "c", "b"]);
  });

  test("a failed load is forgotten so the next ask tries again", async () => {
    const cache = new LruCache<string>(2);
    await expect(cache.get("k", async () => Promise.reject(new Error("GitHub is down")))).rejects.toThrow("GitHub is down");
    expect(cache.size).toBe(0);
    expect(await cache.get("k", async () => "ok")).toBe("ok");
  });

  test("answers `keep` declines are not remembered", async () => {
    const cache = new LruCache<string>(2, (value) => value !== "not yet");
    expect(await cache.get("k", async () => "not yet")).toBe("not yet");
    expect(cache.size).toBe(0);
    expect(await cache.get("k", async () => "known")).toBe("known");
    expect(await cache.get("k", async () => "other")).toBe("known");
  });

  test("refuses a size below one", () => {
    expect(() => new LruCache(0)).toThrow(/at least one/);
  });
});
