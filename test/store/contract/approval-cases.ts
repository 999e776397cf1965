import type { ApprovalVote } from "../../../src/core/model/approval.js";
import type { Store } from "../../../src/core/ports/store.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, newDeploy, unique } from "../deploy-fixtures.js";

const EXTRA_STORES = 3;

/** A deploy that awaits `required` approvals until minute 60. */
function awaiting(required = 1, overrides: Parameters<typeof newDeploy>[0] = {}) {
  return newDeploy({ service: unique("svc"), env: "prod", approval: { required, expiresAt: at(60) }, ...overrides });
}

const vote = (deployId: string, who: string, overrides: Partial<ApprovalVote> = {}): ApprovalVote => ({
  deployId,
  approverKey: `login:${who}`,
  approver: who,
  verdict: "approved",
  at: at(5),
  ...overrides,
});

/** Approvals: one answer per approver, one transition per deploy, also when votes race. */
export function approvalCases(harness: () => StoreHarness): void {
  const store = () => harness().store;

  describe("approvals", () => {
    it("a deploy with an approval request is stored awaiting_approval: not queued, never started, not in the queue", async () => {
      const deploy = awaiting(2);
      const result = await store().insertDeploy(deploy, { startIfFree: { at: atDate(0), lease: { ownerId: "r1", until: atDate(1) } } });
      expect(result).toMatchObject({ kind: "inserted", deploy: { state: "awaiting_approval", approval: { required: 2, expiresAt: at(60), approvedBy: [] } } });
      expect(await store().listQueue(deploy.service, "prod")).toEqual([]);
      expect(await store().getRunning(deploy.service, "prod")).toBeUndefined();
      expect(await store().claimSlot(deploy.id, atDate(1))).toBe(false);
      expect(await store().listDeploys({ service: deploy.service, states: ["awaiting_approval"] })).toHaveLength(1);
    });

    it("counts approvals once per approver; the last one moves the deploy to queued", async () => {
      const deploy = awaiting(2);
      await store().insertDeploy(deploy);
      expect(await store().recordVote(vote(deploy.id, "alice"))).toMatchObject({ kind: "counted", deploy: { state: "awaiting_approval", approval: { approvedBy: ["alice"] } } });
      expect(await store().recordVote(vote(deploy.id, "Alice Again", { approverKey: "login:alice", at: at(6) }))).toMatchObject({ kind: "duplicate", deploy: { approval: { approvedBy: ["alice"] } } });
      const last = await store().recordVote(vote(deploy.id, "bob", { at: at(7), reason: "looks good" }));
      expect(last).toMatchObject({ kind: "approved", deploy: { state: "queued", approval: { required: 2, approvedBy: ["alice", "bob"] } } });
      expect((await store().listQueue(deploy.service, "prod")).map((d) => d.id)).toEqual([deploy.id]);
      expect(await store().recordVote(vote(deploy.id, "carol", { at: at(8) }))).toMatchObject({ kind: "not_awaiting", deploy: { state: "queued" } });
      expect(await store().listVotes(deploy.id)).toEqual([
        { deployId: deploy.id, approverKey: "login:alice", approver: "alice", verdict: "approved", at: at(5) },
        { deployId: deploy.id, approverKey: "login:bob", approver: "bob", verdict: "approved", reason: "looks good", at: at(7) },
      ]);
    });

    it("a rejection cancels the request with who and why, also from someone who approved before", async () => {
      const deploy = awaiting(2);
      await store().insertDeploy(deploy);
      await store().recordVote(vote(deploy.id, "alice"));
      const rejected = await store().recordVote(vote(deploy.id, "alice", { verdict: "rejected", reason: "wrong sha", at: at(6) }));
      expect(rejected).toMatchObject({ kind: "rejected", deploy: { state: "cancelled", error: "rejected by alice: wrong sha", finishedAt: at(6) } });
      expect(await store().listVotes(deploy.id)).toMatchObject([{ approverKey: "login:alice", verdict: "rejected", reason: "wrong sha" }]);
      expect(await store().recordVote(vote(deploy.id, "bob", { at: at(7) }))).toMatchObject({ kind: "not_awaiting", deploy: { state: "cancelled" } });
    });

    it("past its expiry nothing is recorded; unknown deploys and deploys that never awaited approval are not awaiting", async () => {
      const deploy = awaiting(1);
      await store().insertDeploy(deploy);
      expect(await store().recordVote(vote(deploy.id, "alice", { at: at(60) }))).toMatchObject({ kind: "expired", deploy: { state: "awaiting_approval" } });
      expect(await store().listVotes(deploy.id)).toEqual([]);
      expect(await store().recordVote(vote(unique("missing"), "alice"))).toEqual({ kind: "not_awaiting" });
      const plain = newDeploy({ service: unique("svc") });
      await store().insertDeploy(plain);
      expect(await store().recordVote(vote(plain.id, "alice"))).toMatchObject({ kind: "not_awaiting", deploy: { state: "queued" } });
    });

    describe("races", () => {
      let stores: Store[] = [];
      const pick = (i: number): Store => stores[i % stores.length]!;
      beforeAll(async () => {
        stores = [harness().store];
        for (let i = 0; i < EXTRA_STORES; i++) stores.push(await harness().openAnother());
      });

      it("10 approvers at once on a deploy that needs 1: exactly one approves it, the rest find it no longer awaiting", async () => {
        const deploy = awaiting(1);
        await store().insertDeploy(deploy);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => pick(i).recordVote(vote(deploy.id, `approver${i}`))));
        expect(results.filter((r) => r.kind === "approved")).toHaveLength(1);
        expect(results.filter((r) => r.kind === "not_awaiting")).toHaveLength(9);
        expect(await store().getDeploy(deploy.id)).toMatchObject({ state: "queued" });
      });

      it("3 approvers at once on a deploy that needs 3: all count, and exactly the last moves it", async () => {
        const deploy = awaiting(3);
        await store().insertDeploy(deploy);
        const results = await Promise.all([0, 1, 2].map((i) => pick(i).recordVote(vote(deploy.id, `approver${i}`))));
        expect(results.map((r) => r.kind).sort()).toEqual(["approved", "counted", "counted"]);
        expect((await store().getDeploy(deploy.id))?.approval?.approvedBy).toHaveLength(3);
      });

      it("the same approver's double click at once counts once", async () => {
        const deploy = awaiting(2);
        await store().insertDeploy(deploy);
        const results = await Promise.all([0, 1, 2, 3].map((i) => pick(i).recordVote(vote(deploy.id, "alice"))));
        expect(results.map((r) => r.kind).sort()).toEqual(["counted", "duplicate", "duplicate", "duplicate"]);
        expect(await store().listVotes(deploy.id)).toHaveLength(1);
      });

      it("an approval racing a rejection: the deploy ends either queued or cancelled, never both", async () => {
        const deploy = awaiting(1);
        await store().insertDeploy(deploy);
        const [approved, rejected] = await Promise.all([pick(1).recordVote(vote(deploy.id, "alice")), pick(2).recordVote(vote(deploy.id, "bob", { verdict: "rejected" }))]);
        expect([approved.kind, rejected.kind].sort()).toEqual(approved.kind === "approved" ? ["approved", "not_awaiting"] : ["not_awaiting", "rejected"]);
        expect((await store().getDeploy(deploy.id))?.state).toBe(approved.kind === "approved" ? "queued" : "cancelled");
      });
    });
  });
}
