import type { StageRun } from "../../../src/core/model/stage-run.js";
import type { StoreHarness } from "../store-harness.js";
import { at, unique } from "../deploy-fixtures.js";

/** The watchdog's history: each successful stage run once, one stage's newest runs first. */
export function stageRunCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const run = (service: string, stage: string, startMinute: number, minutes: number, deployId = unique("d")): StageRun => ({
    deployId,
    service,
    env: "prod",
    stage,
    startedAt: at(startMinute),
    finishedAt: at(startMinute + minutes),
  });

  describe("stage runs", () => {
    it("reads one stage's newest runs first, at most `limit`, in its own (service, env) only", async () => {
      const service = unique("web");
      await store().recordStageRuns([run(service, "Deploy", 0, 4), run(service, "Bake", 0, 9), run(service, "Deploy", 10, 6)]);
      await store().recordStageRuns([run(service, "Deploy", 20, 5), { ...run(service, "Deploy", 30, 7), env: "staging" }, run(unique("other"), "Deploy", 40, 8)]);
      expect(await store().recentStageDurations(service, "prod", "Deploy", 20)).toEqual([5, 6, 4].map((m) => m * 60_000));
      expect(await store().recentStageDurations(service, "prod", "Deploy", 2)).toEqual([5, 6].map((m) => m * 60_000));
      expect(await store().recentStageDurations(service, "prod", "Bake", 20)).toEqual([9 * 60_000]);
      expect(await store().recentStageDurations(service, "prod", "Verify", 20)).toEqual([]);
    });

    it("a run recorded again (a report sent again after a restart) is kept once, as first recorded", async () => {
      const service = unique("web");
      const first = run(service, "Deploy", 0, 3, unique("d-again"));
      await store().recordStageRuns([first]);
      await store().recordStageRuns([{ ...first, finishedAt: at(50) }, run(service, "Deploy", 5, 2)]);
      expect(await store().recentStageDurations(service, "prod", "Deploy", 20)).toEqual([2 * 60_000, 3 * 60_000]);
      await store().recordStageRuns([]);
    });
  });
}
