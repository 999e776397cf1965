import type { NewAcceptedRequest } from "../../../src/core/ports/accepted-requests.js";
import type { Store } from "../../../src/core/ports/store.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, unique } from "../deploy-fixtures.js";

const FAR_FUTURE = new Date("2100-01-01T00:00:00.000Z");

/** The journal of accepted requests: recorded once, leased to one replica, taken over when the lease runs out. */
export function requestCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const request = (minute: number, overrides: Partial<NewAcceptedRequest> = {}): NewAcceptedRequest => ({
    key: unique("slack:command"),
    kind: "slack.command",
    payload: JSON.stringify({ text: "deploy donations staging", minute }),
    receivedAt: at(minute),
    ...overrides,
  });
  const accept = async (r: NewAcceptedRequest, ownerId: string, leaseEnd: Date, on: Store = store()) => (await on.acceptRequests([r], ownerId, leaseEnd)).includes(r.key);
  /** Every case starts with no unfinished request left by another (claims are not filtered by key). */
  const finishEverything = async () => {
    for (const left of await store().claimRequests("cleaner", FAR_FUTURE, FAR_FUTURE, 10_000)) await store().finishRequest(left.key, FAR_FUTURE, "done");
  };

  describe("accepted requests", () => {
    beforeEach(finishEverything);

    it("records a request once: a retry with the same key is told so", async () => {
      const first = request(0);
      expect(await accept(first, "replica-a", atDate(1))).toBe(true);
      expect(await accept({ ...first, payload: "{}" }, "replica-b", atDate(1))).toBe(false);
      // The first payload stays.
      const [taken] = await store().claimRequests("replica-b", atDate(1), atDate(2), 10);
      expect(taken).toEqual({ ...first, attempts: 2 });
    });

    it("leaves a request with its owner while the lease holds, then lets one other replica take it", async () => {
      const old = request(0);
      const newer = request(1);
      for (const r of [newer, old]) await accept(r, "replica-a", atDate(5));

      expect(await store().claimRequests("replica-b", atDate(4), atDate(10), 10)).toEqual([]);
      const taken = await store().claimRequests("replica-b", atDate(5), atDate(10), 10);
      expect(taken.map((r) => [r.key, r.attempts])).toEqual([
        [old.key, 2],
        [newer.key, 2],
      ]);
      // Now replica-b's, until its own lease runs out.
      expect(await store().claimRequests("replica-c", atDate(9), atDate(20), 10)).toEqual([]);
      expect((await store().claimRequests("replica-c", atDate(10), atDate(20), 1)).map((r) => [r.key, r.attempts])).toEqual([[old.key, 3]]);
    });

    it("renews an owner's leases, and hands them back when extended to now", async () => {
      const mine = request(0);
      const theirs = request(0);
      await accept(mine, "replica-a", atDate(1));
      await accept(theirs, "replica-b", atDate(1));

      const alsoMine = request(0);
      await accept(alsoMine, "replica-a", atDate(1));
      await store().extendRequestLeases("replica-a", atDate(30), [mine.key, theirs.key]);
      // Only replica-a's own, and only the keys named.
      expect((await store().claimRequests("replica-c", atDate(2), atDate(40), 10)).map((r) => r.key).sort()).toEqual([theirs.key, alsoMine.key].sort());

      await store().extendRequestLeases("replica-a", atDate(3));
      expect((await store().claimRequests("replica-c", atDate(3), atDate(40), 10)).map((r) => r.key)).toEqual([mine.key]);
    });

    it("never takes a finished request again, and prunes only finished ones older than asked", async () => {
      const done = request(0);
      const open = request(0);
      await accept(done, "replica-a", atDate(1));
      await accept(open, "replica-a", atDate(1));
      await store().finishRequest(done.key, atDate(2), "done");
      await store().finishRequest(done.key, atDate(9), "given_up");

      expect((await store().claimRequests("replica-b", atDate(5), atDate(6), 10)).map((r) => r.key)).toEqual([open.key]);
      expect(await store().pruneRequests(atDate(2))).toBe(0);
      expect(await store().pruneRequests(atDate(3))).toBeGreaterThanOrEqual(1);
      // Pruned: the key may be recorded again (a request months later that reuses an id).
      expect(await accept(done, "replica-a", atDate(10))).toBe(true);
      expect(await accept(open, "replica-a", atDate(10))).toBe(false);
    });

    describe("under concurrency", () => {
      let others: Store[] = [];
      beforeAll(async () => {
        others = [await harness().openAnother(), await harness().openAnother(), await harness().openAnother()];
      });
      const pick = (i: number): Store => (i % 4 === 0 ? store() : others[(i % 4) - 1]!);

      it("records a batch in one write, each key once, and reports only the keys it recorded", async () => {
        const before = request(0);
        await accept(before, "replica-a", atDate(1));
        const fresh = [request(1), request(2)];
        const recorded = await store().acceptRequests([before, fresh[0]!, { ...fresh[0]!, payload: "{}" }, fresh[1]!], "replica-a", atDate(1));
        expect(recorded.sort()).toEqual(fresh.map((r) => r.key).sort());
        expect(await store().acceptRequests([], "replica-a", atDate(1))).toEqual([]);
        const many = Array.from({ length: 1200 }, (_, i) => request(i));
        expect(await store().acceptRequests(many, "replica-a", atDate(1))).toHaveLength(1200);
      });

      it("records one of 20 simultaneous copies of a request", async () => {
        const copy = request(0);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => accept(copy, `replica-${i}`, atDate(1), pick(i))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("gives each expired request to exactly one of four replicas claiming at once", async () => {
        const requests = Array.from({ length: 30 }, (_, i) => request(i));
        for (const r of requests) await accept(r, "dead-replica", atDate(1));
        const claims = await Promise.all([0, 1, 2, 3].map((i) => pick(i).claimRequests(`replica-${i}`, atDate(2), atDate(60), 100)));
        const keys = claims.flat().map((r) => r.key);
        expect(keys.sort()).toEqual(requests.map((r) => r.key).sort());
        expect(claims.flat().every((r) => r.attempts === 2)).toBe(true);
      });
    });
  });
}
