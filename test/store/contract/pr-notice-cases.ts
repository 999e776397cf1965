import type { PrShipment } from "../../../src/core/model/pr-notice.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, unique } from "../deploy-fixtures.js";

/** Where each PR is live (notify_prs) and its one comment, written by one claimant at a time. */
export function prNoticeCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const shipment = (repo: string, prNumber: number, env: string, minute: number, deployId = unique("d")): PrShipment => ({
    repo,
    prNumber,
    service: "donations",
    env,
    deployId,
    sha: "a".repeat(40),
    shippedAt: at(minute),
  });

  describe("pr notices", () => {
    it("a claim reads what the PR reached, oldest first; a newer shipment to one place replaces the older, a late older one changes nothing", async () => {
      const repo = unique("hfa/web").toLowerCase();
      const staging = shipment(repo, 7, "staging", 1);
      const prod = shipment(repo, 7, "prod", 5);
      await store().recordShipments([staging, prod, shipment(repo, 8, "staging", 1)]);
      const again = shipment(repo, 7, "staging", 9);
      await store().recordShipments([again]);
      await store().recordShipments([shipment(repo, 7, "staging", 3)]);
      const notice = await store().claimPrNotice(repo, 7, "me", atDate(10), atDate(20));
      expect(notice).toEqual({ repo, prNumber: 7, shipments: [prod, again] });
    });

    it("a rollback marks the PRs it took out of one place, once; shipping there again clears the mark, and an older shipment sent late does not", async () => {
      const repo = unique("hfa/web").toLowerCase();
      const prod = shipment(repo, 3, "prod", 1);
      await store().recordShipments([prod, shipment(repo, 3, "staging", 0), shipment(repo, 4, "prod", 1)]);
      await store().markTakenOut(repo, [3, 99], "donations", "prod", { deployId: "d-back", at: at(2) });
      await store().markTakenOut(repo, [3], "donations", "prod", { deployId: "d-later", at: at(3) });
      await store().recordShipments([prod]);
      let notice = await store().claimPrNotice(repo, 3, "me", atDate(4), atDate(5));
      expect(notice?.shipments.map((s) => [s.env, s.takenOut])).toEqual([
        ["staging", undefined],
        ["prod", { deployId: "d-back", at: at(2) }],
      ]);
      await store().releasePrNotice(repo, 3, "me");
      await store().recordShipments([shipment(repo, 3, "prod", 6, "d-again")]);
      notice = await store().claimPrNotice(repo, 3, "me", atDate(7), atDate(8));
      expect(notice?.shipments.find((s) => s.env === "prod")).toEqual(expect.objectContaining({ deployId: "d-again", shippedAt: at(6) }));
      expect(notice?.shipments.find((s) => s.env === "prod")).not.toHaveProperty("takenOut");
      expect((await store().claimPrNotice(repo, 4, "me", atDate(7), atDate(8)))?.shipments[0]).not.toHaveProperty("takenOut");
    });

    it("one claimant at a time: others are turned away until it releases with the comment it wrote, or its claim runs out", async () => {
      const repo = unique("hfa/web").toLowerCase();
      await store().recordShipments([shipment(repo, 1, "staging", 0)]);
      expect(await store().claimPrNotice(repo, 1, "a", atDate(1), atDate(11))).toMatchObject({ prNumber: 1 });
      expect(await store().claimPrNotice(repo, 1, "b", atDate(2), atDate(12))).toBeUndefined();
      await store().releasePrNotice(repo, 1, "a", { commentId: 9_000_000_001, shown: "digest-1" });
      expect(await store().claimPrNotice(repo, 1, "b", atDate(3), atDate(13))).toMatchObject({ commentId: 9_000_000_001, shown: "digest-1" });
      // b's claim runs out: c takes over, and b's late release leaves c's claim alone.
      expect(await store().claimPrNotice(repo, 1, "c", atDate(13), atDate(23))).toMatchObject({ commentId: 9_000_000_001 });
      await store().releasePrNotice(repo, 1, "b", { commentId: 9_000_000_001, shown: "digest-b" });
      expect(await store().claimPrNotice(repo, 1, "d", atDate(14), atDate(24))).toBeUndefined();
      await store().releasePrNotice(repo, 1, "c", { commentId: 9_000_000_001, shown: "digest-c" });
      expect(await store().claimPrNotice(repo, 1, "d", atDate(15), atDate(25))).toMatchObject({ shown: "digest-c" });
    });

    it("a comment created under a claim that ran out keeps its id, so nobody creates a second one", async () => {
      const repo = unique("hfa/web").toLowerCase();
      await store().claimPrNotice(repo, 2, "slow", atDate(0), atDate(1));
      const other = await store().claimPrNotice(repo, 2, "fast", atDate(2), atDate(3));
      expect(other).toEqual({ repo, prNumber: 2, shipments: [] });
      await store().releasePrNotice(repo, 2, "slow", { commentId: 42, shown: "digest-slow" });
      await store().releasePrNotice(repo, 2, "fast");
      expect(await store().claimPrNotice(repo, 2, "next", atDate(4), atDate(5))).toEqual({ repo, prNumber: 2, commentId: 42, shipments: [] });
    });

    it("two stores claiming one PR at once: exactly one wins", async () => {
      const other = await harness().openAnother();
      const repo = unique("hfa/web").toLowerCase();
      const claims = await Promise.all([store().claimPrNotice(repo, 5, "a", atDate(0), atDate(10)), other.claimPrNotice(repo, 5, "b", atDate(0), atDate(10))]);
      expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    });
  });
}
