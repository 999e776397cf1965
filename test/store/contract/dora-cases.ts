import type { DeployPatch, NewDeploy, StageProgress } from "../../../src/core/model/deploy.js";
import { changeSetFixture } from "../../fakes/change-set-fixture.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, newDeploy, unique } from "../deploy-fixtures.js";

const stages = (...statuses: StageProgress["status"][]): StageProgress[] => ["Source", "Bake", "Deploy"].map((name, i) => ({ name, status: statuses[i] ?? "waiting" }));

/** DORA facts: written by the store as deploys end, read back by time and target; merge times once each. */
export function doraCases(harness: () => StoreHarness): void {
  const store = () => harness().store;

  /** A deploy that runs from minute `start` and ends at `end` with `patch`. */
  async function ran(fields: Partial<NewDeploy>, start: number, end: number, patch: DeployPatch): Promise<string> {
    const deploy = newDeploy({ requestedAt: at(start), ...fields });
    await store().insertDeploy(deploy);
    expect(await store().claimSlot(deploy.id, atDate(start))).toBe(true);
    expect(await store().updateDeploy(deploy.id, { finishedAt: at(end), ...patch }, "running")).toBeDefined();
    return deploy.id;
  }

  describe("what is live where", () => {
    it("latestSucceeded gives each target's newest succeeded deploy in one call; targets with none are left out", async () => {
      const service = unique("live");
      await ran({ service }, 0, 10, { state: "succeeded" });
      const newest = await ran({ service }, 20, 30, { state: "succeeded" });
      await ran({ service }, 40, 50, { state: "failed" });
      const prod = await ran({ service, env: "prod" }, 0, 5, { state: "succeeded" });
      const live = await store().latestSucceeded([{ service, env: "staging" }, { service, env: "prod" }, { service: unique("none"), env: "prod" }]);
      expect(live.map((d) => d.id).sort()).toEqual([newest, prod].sort());
      expect(await store().latestSucceeded([])).toEqual([]);
    });
  });

  describe("DORA facts", () => {
    it("records an outcome when a deploy that ran ends, with the stages that had started; none for one that never started", async () => {
      const service = unique("dora");
      const ok = await ran({ service }, 0, 10, { state: "succeeded", stages: stages("succeeded", "succeeded", "succeeded") });
      const failed = await ran({ service }, 20, 25, { state: "failed", stages: stages("succeeded", "failed") });
      const rollback = await ran({ service, rollbackOf: ok }, 30, 40, { state: "succeeded", stages: stages("succeeded", "skipped", "succeeded") });
      const dropped = newDeploy({ service });
      await store().insertDeploy(dropped);
      await store().updateDeploy(dropped.id, { state: "cancelled", finishedAt: at(41) }, "queued");

      const facts = await store().readDoraFacts({ since: atDate(-1), service });
      expect([...facts.outcomes].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))).toEqual([
        { deployId: ok, service, env: "staging", state: "succeeded", requestedAt: at(0), finishedAt: at(10), stagesStarted: ["Source", "Bake", "Deploy"] },
        { deployId: failed, service, env: "staging", state: "failed", requestedAt: at(20), finishedAt: at(25), stagesStarted: ["Source", "Bake"] },
        { deployId: rollback, service, env: "staging", state: "succeeded", requestedAt: at(30), finishedAt: at(40), stagesStarted: ["Source", "Deploy"], rollbackOf: ok },
      ]);
      expect((await store().readDoraFacts({ since: atDate(11), service })).outcomes.map((o) => o.deployId).sort()).toEqual([failed, rollback].sort());
      expect((await store().readDoraFacts({ since: atDate(-1), service, env: "prod" })).outcomes).toEqual([]);
    });

    it("keeps each merged PR's first time live per environment, and a lead time once its merge is known", async () => {
      const service = unique("dora");
      await store().recordPullMerge({ service, repo: "hfa/donations", number: 12, mergeSha: "a".repeat(40), mergedAt: at(-60) });
      // A redelivered webhook with another time changes nothing.
      await store().recordPullMerge({ service, repo: "hfa/donations", number: 12, mergeSha: "a".repeat(40), mergedAt: at(-30) });
      const first = await ran({ service }, 0, 10, { state: "succeeded" });
      // The change set may be recorded after the deploy ended.
      await store().updateDeploy(first, { changeSet: changeSetFixture() });
      await ran({ service, changeSet: changeSetFixture() }, 20, 30, { state: "succeeded" });
      await ran({ service, env: "prod", changeSet: changeSetFixture() }, 40, 50, { state: "succeeded" });
      await ran({ service, env: "prod", changeSet: changeSetFixture({ pulls: [{ number: 13, title: "x" }] }) }, 60, 70, { state: "failed" });

      const facts = await store().readDoraFacts({ since: atDate(-100), service });
      expect([...facts.leadTimes].sort((a, b) => a.liveAt.localeCompare(b.liveAt))).toEqual([
        { service, env: "staging", number: 12, mergedAt: at(-60), liveAt: at(10) },
        { service, env: "prod", number: 12, mergedAt: at(-60), liveAt: at(50) },
      ]);
      expect((await store().readDoraFacts({ since: atDate(20), service })).leadTimes).toEqual([{ service, env: "prod", number: 12, mergedAt: at(-60), liveAt: at(50) }]);
      // PR 11 went live too, but its merge was never seen: no lead time for it.
      await store().recordPullMerge({ service, repo: "hfa/donations", number: 11, mergeSha: "b".repeat(40), mergedAt: at(-5) });
      expect((await store().readDoraFacts({ since: atDate(-100), service, env: "staging" })).leadTimes.map((l) => l.number).sort()).toEqual([11, 12]);
    });
  });
}
