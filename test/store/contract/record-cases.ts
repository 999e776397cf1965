import type { AuditEntry } from "../../../src/core/model/audit.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, newDeploy, unique } from "../deploy-fixtures.js";

/** Keys, audit, leases, notification tracking and health. */
export function recordCases(harness: () => StoreHarness): void {
  const store = () => harness().store;

  describe("keys", () => {
    it("records a key once", async () => {
      const key = unique("delivery");
      expect(await store().recordKey(key, atDate(0))).toBe(true);
      expect(await store().recordKey(key, atDate(1))).toBe(false);
    });

    it("keeps recordKey keys apart from deploy idempotency keys", async () => {
      const key = unique("delivery");
      expect(await store().recordKey(key, atDate(0))).toBe(true);
      const first = await store().insertDeploy(newDeploy({ service: unique("svc") }), { idempotencyKey: key });
      expect(first.kind).toBe("inserted");
      const again = await store().insertDeploy(newDeploy({ service: unique("svc") }), { idempotencyKey: key });
      expect(again).toMatchObject({ kind: "duplicate", existing: { id: first.kind === "inserted" ? first.deploy.id : "" } });
      expect(await store().recordKey(key, atDate(1))).toBe(false);
    });
  });

  describe("audit", () => {
    it("appends entries and lists them newest first, by deploy and limited", async () => {
      const deployId = unique("d");
      const full: AuditEntry = {
        at: at(0),
        actor: "alice",
        surface: "slack",
        action: "deploy",
        service: "donations",
        env: "prod",
        deployId,
        outcome: "refused",
        reasonCode: "locked",
        message: "donations/prod is locked by bob",
      };
      const minimal: AuditEntry = { at: at(1), actor: "system", surface: "internal", action: "start", outcome: "done" };
      const forced: AuditEntry = { ...full, at: at(2), action: "force", outcome: "forced" };
      for (const entry of [full, minimal, forced]) await store().appendAudit(entry);

      expect(await store().listAudit({ deployId })).toStrictEqual([forced, full]);
      expect(await store().listAudit({ limit: 2 })).toStrictEqual([forced, minimal]);
    });
  });

  describe("leases", () => {
    it("claims free, own and expired leases on unfinished deploys only", async () => {
      const service = unique("svc");
      const make = async () => {
        const d = newDeploy({ service });
        await store().insertDeploy(d);
        return d.id;
      };
      const [queued, running, finished, heldByB, expiredB] = [await make(), await make(), await make(), await make(), await make()];
      await store().updateDeploy(running, { state: "running" });
      await store().updateDeploy(finished, { state: "succeeded", finishedAt: at(0) });
      await store().claimLeases("replica-b", [heldByB], atDate(0), atDate(10));
      await store().claimLeases("replica-b", [expiredB], atDate(0), atDate(2));

      const all = [queued, running, finished, heldByB, expiredB, unique("missing")];
      expect(await store().claimLeases("replica-a", all, atDate(5), atDate(6))).toEqual([queued, running, expiredB]);
      expect(await store().getDeploy(queued)).toMatchObject({ ownerId: "replica-a", leaseExpiresAt: at(6) });
      expect(await store().getDeploy(heldByB)).toMatchObject({ ownerId: "replica-b", leaseExpiresAt: at(10) });

      // Renewal by the holder; nobody else while it holds; takeover once it lapses.
      expect(await store().claimLeases("replica-a", [queued], atDate(5.5), atDate(7))).toEqual([queued]);
      expect(await store().claimLeases("replica-b", [queued], atDate(6), atDate(8))).toEqual([]);
      expect(await store().claimLeases("replica-b", [queued], atDate(7), atDate(9))).toEqual([queued]);
      expect(await store().claimLeases("replica-a", [], atDate(7), atDate(9))).toEqual([]);
    });
  });

  describe("notifications", () => {
    it("lists deploys whose reports lag their state, oldest first, until marked", async () => {
      // Start from a clean slate: earlier tests left unnotified deploys behind.
      for (let page = await store().listUnnotified(500); page.length > 0; page = await store().listUnnotified(500)) {
        for (const d of page) await store().markNotified(d.id, d.state);
      }
      const service = unique("svc");
      const first = newDeploy({ service });
      const second = newDeploy({ service });
      await store().insertDeploy(first);
      await store().insertDeploy(second);
      expect((await store().listUnnotified(10)).map((d) => d.id)).toEqual([first.id, second.id]);
      expect((await store().listUnnotified(1)).map((d) => d.id)).toEqual([first.id]);

      await store().markNotified(first.id, "queued");
      await store().markNotified(second.id, "queued");
      expect(await store().listUnnotified(10)).toEqual([]);

      await store().updateDeploy(second.id, { state: "cancelled", finishedAt: at(1) });
      expect(await store().listUnnotified(10)).toMatchObject([{ id: second.id, state: "cancelled", notifiedState: "queued" }]);
      await store().markNotified(second.id, "cancelled");
      expect(await store().listUnnotified(10)).toEqual([]);
    });
  });

  describe("health", () => {
    it("pings while open and throws once closed", async () => {
      const other = await harness().openAnother();
      await expect(other.ping()).resolves.toBeUndefined();
      await other.close();
      await expect(other.ping()).rejects.toThrow();
      await expect(other.close()).resolves.toBeUndefined();
    });
  });
}
