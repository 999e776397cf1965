import type { Lock } from "../../../src/core/model/lock.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, unique } from "../deploy-fixtures.js";
import { aLock } from "../../kit/builders.js";

export function lockCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const lockOf = (service: string, who: string, extra: Partial<Lock> = {}): Lock => aLock({ service, owner: who, ownerKey: `login:${who}`, createdAt: at(0), ...extra });

  describe("locks", () => {
    it("takes a free lock and round-trips it without empty fields", async () => {
      const lock = lockOf(unique("svc"), "alice");
      expect(await store().takeLock(lock, atDate(0))).toStrictEqual({ kind: "taken", lock });
      const withAll = lockOf(unique("svc"), "bob", { reason: "debate prep", expiresAt: at(60) });
      expect(await store().takeLock(withAll, atDate(0))).toStrictEqual({ kind: "taken", lock: withAll });
    });

    it("reports an active lock held by someone else", async () => {
      const service = unique("svc");
      const alice = lockOf(service, "alice", { reason: "release", expiresAt: at(60) });
      await store().takeLock(alice, atDate(0));
      expect(await store().takeLock(lockOf(service, "bob", { createdAt: at(5) }), atDate(5))).toStrictEqual({ kind: "held", lock: alice });
    });

    it("extends the owner's own lock, keeping when it started", async () => {
      const service = unique("svc");
      await store().takeLock(lockOf(service, "alice", { reason: "release", expiresAt: at(60) }), atDate(0));
      const result = await store().takeLock(lockOf(service, "alice", { createdAt: at(30), expiresAt: at(120) }), atDate(30));
      expect(result).toStrictEqual({ kind: "taken", lock: lockOf(service, "alice", { reason: "release", expiresAt: at(120) }) });
    });

    it("replaces an expired lock and says which one it replaced", async () => {
      const service = unique("svc");
      const old = lockOf(service, "alice", { expiresAt: at(10) });
      await store().takeLock(old, atDate(0));
      const bob = lockOf(service, "bob", { createdAt: at(10) });
      expect(await store().takeLock(bob, atDate(10))).toStrictEqual({ kind: "taken", lock: bob, replaced: old });
    });

    it("releases a lock once", async () => {
      const lock = lockOf(unique("svc"), "alice");
      await store().takeLock(lock, atDate(0));
      expect(await store().releaseLock(lock.service, lock.env)).toStrictEqual(lock);
      expect(await store().releaseLock(lock.service, lock.env)).toBeUndefined();
      expect(await store().takeLock(lockOf(lock.service, "bob"), atDate(1))).toMatchObject({ kind: "taken" });
    });

    it("lists only locks still active at the given time", async () => {
      const forever = lockOf(unique("svc"), "alice");
      const short = lockOf(unique("svc"), "bob", { expiresAt: at(10) });
      await store().takeLock(forever, atDate(0));
      await store().takeLock(short, atDate(0));
      const ours = (locks: Lock[]) => locks.filter((l) => l.service === forever.service || l.service === short.service);
      expect(ours(await store().listLocks(atDate(5)))).toStrictEqual([forever, short]);
      expect(ours(await store().listLocks(atDate(10)))).toStrictEqual([forever]);
    });

    it("keeps locks on all/all and service/all apart from exact targets", async () => {
      const service = unique("svc");
      await store().takeLock({ ...lockOf(service, "alice"), env: "all" }, atDate(0));
      expect(await store().takeLock(lockOf(service, "bob"), atDate(0))).toMatchObject({ kind: "taken" });
    });
  });
}
