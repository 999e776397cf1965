import { startAutoRollback } from "../../../src/core/commands/auto-rollback.js";
import { sha } from "../../fakes/fakes.js";
import { coreHarness, githubActor, testConfig } from "../harness.js";

/** donations/staging rolls back on failure; Source, Bake, Deploy. */
function harness(extra: Parameters<typeof testConfig>[0] = {}) {
  const base = testConfig();
  return coreHarness(testConfig({ environments: { ...base.environments, staging: { ...base.environments.staging!, onFailure: "rollback" } }, ...extra }));
}

async function finish(h: ReturnType<typeof coreHarness>, ref: string, outcome: "Succeeded" | "Failed", failedStage?: string) {
  const result = await h.deploy("donations", "staging", { ref }, { slackChannel: "C0DONATIONS", githubRepo: "hfa/donations", prNumber: 7 });
  const id = result.deploy!.id;
  const executionId = (await h.store.getDeploy(id))!.executionId!;
  if (failedStage) {
    for (const stage of h.pipeline.stageNames) {
      if (stage === failedStage) break;
      h.pipeline.setStage(executionId, stage, "succeeded");
    }
    h.pipeline.setStage(executionId, failedStage, "failed");
    h.pipeline.executions.get(executionId)!.status = "Failed";
  } else h.pipeline.finish(executionId, outcome);
  await h.time.advance(60_000);
  await h.pollAll();
  return { id, executionId };
}

const rollbacks = (h: ReturnType<typeof coreHarness>) => h.pipeline.calls.filter((c) => c.op === "rollbackStage");

describe("on_failure: rollback", () => {
  test("a deploy failing in the deploy stage starts one rollback to the previous release, as whistlestop, linked both ways", async () => {
    const h = harness();
    const good = await finish(h, sha("b"), "Succeeded");
    const bad = await finish(h, sha("c"), "Failed", "Deploy");
    await h.notifications.idle();
    expect(rollbacks(h).map((c) => c.args)).toEqual([["donations-staging", "Deploy", good.executionId]]);
    const failed = await h.store.getDeploy(bad.id);
    const rollback = await h.store.getDeploy(failed!.autoRollbackId!);
    expect(rollback).toMatchObject({ rollbackOf: bad.id, actor: "whistlestop", sha: sha("b"), state: "running", slackChannel: "C0DONATIONS", githubRepo: "hfa/donations", prNumber: 7 });
  });

  test("exactly one rollback per failure however often the failure is handled (restarts, replicas)", async () => {
    const h = harness();
    await finish(h, sha("b"), "Succeeded");
    const bad = await finish(h, sha("c"), "Failed", "Deploy");
    await h.notifications.idle();
    const failed = (await h.store.getDeploy(bad.id))!;
    // Another replica that never saw the link: only the idempotency key stands in its way.
    const [again, unlinked] = await Promise.all([startAutoRollback(h.service["deps"], failed), startAutoRollback(h.service["deps"], { ...failed, autoRollbackId: undefined })]);
    expect(again).toMatchObject({ rollback: { id: failed.autoRollbackId } });
    expect(unlinked).toMatchObject({ rollback: { id: failed.autoRollbackId } });
    expect(rollbacks(h)).toHaveLength(1);
    expect((await h.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf === bad.id)).toHaveLength(1);
  });

  test("a failure before the deploy stage (Source, Bake) does not roll back", async () => {
    const h = harness();
    await finish(h, sha("b"), "Succeeded");
    const bad = await finish(h, sha("c"), "Failed", "Bake");
    await h.notifications.idle();
    expect(rollbacks(h)).toEqual([]);
    expect((await h.store.getDeploy(bad.id))?.autoRollbackId).toBeUndefined();
  });

  test("no rollback without an earlier release", async () => {
    const h = harness();
    const bad = await finish(h, sha("c"), "Failed", "Deploy");
    await h.notifications.idle();
    expect(rollbacks(h)).toEqual([]);
    expect(await startAutoRollback(h.service["deps"], (await h.store.getDeploy(bad.id))!)).toEqual({ none: "no_earlier_release" });
  });

  test("a failed rollback, automatic or not, is not rolled back automatically", async () => {
    const h = harness();
    await finish(h, sha("b"), "Succeeded");
    await finish(h, sha("c"), "Succeeded");
    await h.run({ verb: "rollback", service: "donations", env: "staging", force: false, yes: true });
    const [rollbackCall] = rollbacks(h);
    expect(rollbackCall).toBeDefined();
    const manual = (await h.store.listDeploys({ service: "donations", env: "staging", states: ["running"] }))[0]!;
    h.pipeline.finish(manual.executionId!, "Failed");
    await h.time.advance(60_000);
    await h.pollAll();
    expect((await h.store.getDeploy(manual.id))?.state).toBe("failed");
    expect(rollbacks(h)).toHaveLength(1);
  });

  test("a deploy cancelled by a person is not rolled back", async () => {
    const h = harness();
    await finish(h, sha("b"), "Succeeded");
    const result = await h.deploy("donations", "staging", { ref: sha("c") });
    await h.run({ verb: "cancel", service: "donations", env: "staging" }, { actor: githubActor("bob") });
    h.pipeline.finish(result.deploy!.executionId ?? "exec-2", "Stopped");
    await h.pollAll();
    expect((await h.store.getDeploy(result.deploy!.id))?.state).toBe("cancelled");
    expect(rollbacks(h)).toEqual([]);
  });

  test("notify (the default) only reports the failure", async () => {
    const h = coreHarness();
    await finish(h, sha("b"), "Succeeded");
    await finish(h, sha("c"), "Failed", "Deploy");
    await h.notifications.idle();
    expect(rollbacks(h)).toEqual([]);
  });

  test("a crash between the failure being stored and the rollback's insert: the catch-up after the restart starts it, once", async () => {
    const h = harness();
    await finish(h, sha("b"), "Succeeded");
    const result = await h.deploy("donations", "staging", { ref: sha("c") });
    const id = result.deploy!.id;
    // What the dead process left: the failure stored, nothing reported, no rollback.
    await h.store.updateDeploy(id, { state: "failed", finishedAt: h.clock.now().toISOString(), stages: [{ name: "Source", status: "succeeded" }, { name: "Bake", status: "succeeded" }, { name: "Deploy", status: "failed" }] });
    expect(rollbacks(h)).toEqual([]);
    const restarted = await h.notifications.catchUp();
    await h.notifications.idle();
    expect(restarted).toBeGreaterThan(0);
    expect(rollbacks(h)).toHaveLength(1);
    expect((await h.store.getDeploy(id))?.autoRollbackId).toBeDefined();
    await h.notifications.catchUp();
    await h.notifications.idle();
    expect(rollbacks(h)).toHaveLength(1);
  });
});
