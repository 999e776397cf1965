import { PipelineError } from "../../../src/core/ports/pipeline.js";
import { sha } from "../../fakes/fakes.js";
import { coreHarness, denyWindow, githubActor, testConfig } from "../harness.js";

describe("a deploy's life through the orchestrator", () => {
  test("deploy starts the pipeline pinned to the resolved sha with the deploy id as token", async () => {
    const h = coreHarness();
    const result = await h.deploy("donations", "staging", { ref: sha("b") });
    expect(result.outcome).toBe("started");
    expect(h.pipeline.startCalls()).toEqual([{ pipelineName: "donations-staging", sourceAction: "Source", sha: sha("b"), deployId: "d-0001", actor: "api:ci" }]);
    const stored = await h.store.getDeploy("d-0001");
    expect(stored).toMatchObject({ state: "running", executionId: "exec-1", sha: sha("b"), ownerId: "replica-a" });
    expect(stored?.stages.map((s) => s.name)).toEqual(["Source", "Bake", "Deploy"]);
    await h.notifications.idle();
    expect(h.notifier.types("d-0001")).toEqual(["started"]);
    expect(h.tracker.tracked.has("d-0001")).toBe(true);
  });

  test("progress is recorded stage by stage and success records the artifact", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    h.pipeline.setStage("exec-1", "Source", "succeeded");
    h.pipeline.setStage("exec-1", "Bake", "running");
    await h.pollAll();
    await h.pollAll(); // unchanged: no new event
    h.pipeline.finish("exec-1", "Succeeded", { artifact: "ami-0123456789abcdef0" });
    await h.pollAll();
    const done = await h.store.getDeploy("d-0001");
    expect(done).toMatchObject({ state: "succeeded", artifact: "ami-0123456789abcdef0", finishedAt: "2026-11-27T15:00:00.000Z", notifiedState: "succeeded" });
    expect(h.notifier.types("d-0001")).toEqual(["started", "progress", "succeeded"]);
    expect(h.tracker.tracked.size).toBe(0);
    expect(await h.store.getRunning("donations", "staging")).toBeUndefined();
  });

  test("a failed execution fails the deploy with the pipeline's error", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    h.pipeline.finish("exec-1", "Failed", { error: "Bake: packer exited 1" });
    await h.pollAll();
    expect(await h.store.getDeploy("d-0001")).toMatchObject({ state: "failed", error: "Bake: packer exited 1" });
  });

  test("a second deploy queues, then starts by itself when the first ends", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    const second = await h.deploy("donations", "staging", { ref: sha("c") }, { actor: githubActor("bob") });
    expect(second).toMatchObject({ outcome: "queued", deploy: { queuePosition: 1, state: "queued" } });
    expect(h.pipeline.startCalls()).toHaveLength(1);
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    expect(h.pipeline.startCalls().map((c) => c.sha)).toEqual([sha("a"), sha("c")]);
    expect((await h.store.getDeploy("d-0002"))?.state).toBe("running");
  });

  test("concurrency: reject refuses while busy", async () => {
    const h = coreHarness();
    await h.deploy("events", "staging");
    const second = await h.deploy("events", "staging");
    expect(second).toMatchObject({ outcome: "refused", reasonCode: "busy" });
    expect(await h.store.listQueue("events", "staging")).toHaveLength(0);
  });

  test("a queued deploy waits while a window is open, says so, and starts when it ends", async () => {
    const h = coreHarness(testConfig({ windows: [denyWindow("Debate night", "2026-11-27T10:30", "2026-11-27T12:00", { environments: ["staging"] })] }));
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", { ref: sha("c") });
    await h.time.set("2026-11-27T15:45:00Z"); // 10:45 in New York: the window is open
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    const waiting = await h.store.getDeploy("d-0002");
    expect(waiting?.state).toBe("queued");
    expect(waiting?.waitingReason).toMatch(/waiting for a critical window to end until/);
    expect(h.notifier.types("d-0002")).toEqual(["queued", "waiting"]);
    await h.orchestrator.sweep(); // still open: no start, no repeated "waiting"
    expect(h.pipeline.startCalls()).toHaveLength(1);
    await h.time.set("2026-11-27T17:01:00Z");
    await h.orchestrator.sweep();
    expect((await h.store.getDeploy("d-0002"))?.state).toBe("running");
  });

  test("a lock taken while a deploy is queued drops it when its turn comes", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", { ref: sha("c") });
    await h.run({ verb: "lock", service: "donations", env: "staging", reason: "incident" }, { actor: githubActor("carol") });
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    const dropped = await h.store.getDeploy("d-0002");
    expect(dropped?.state).toBe("cancelled");
    expect(dropped?.error).toMatch(/dropped from the queue: donations\/staging is locked by carol/);
    // Whistlestop's own decision is audited in its name, linked to the deploy.
    const [audited] = await h.store.queryAudit({ deployId: "d-0002", limit: 5 });
    expect(audited).toMatchObject({ actor: "whistlestop", actorKey: "whistlestop", action: "drop", outcome: "dropped", service: "donations", env: "staging" });
    expect(audited!.message).toMatch(/dropped from the queue: donations\/staging is locked by carol/);
  });

  test("a newer merge supersedes an older automatic deploy still queued", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", { ref: sha("c") }, { automatic: true });
    await h.deploy("donations", "staging", { ref: sha("d") }, { automatic: true });
    expect((await h.store.getDeploy("d-0002"))?.state).toBe("cancelled");
    expect((await h.store.listQueue("donations", "staging")).map((d) => d.sha)).toEqual([sha("d")]);
    await h.notifications.idle();
    expect(h.notifier.types("d-0002")).toContain("superseded");
    expect(await h.store.queryAudit({ deployId: "d-0002", limit: 5 })).toEqual([
      expect.objectContaining({ actor: "whistlestop", action: "supersede", outcome: "superseded", message: expect.stringContaining("superseded by d-0003") }),
      expect.objectContaining({ action: "deploy", outcome: "queued" }),
    ]);
  });

  test("the same idempotency key twice starts one deploy", async () => {
    const h = coreHarness();
    const first = await h.deploy("donations", "staging", {}, { idempotencyKey: "github:delivery:1" });
    const again = await h.deploy("donations", "staging", {}, { idempotencyKey: "github:delivery:1" });
    expect(first.outcome).toBe("started");
    expect(again).toMatchObject({ outcome: "done", deploy: { id: "d-0001" } });
    expect(h.pipeline.startCalls()).toHaveLength(1);
  });

  test("a throttled start is retried with the same token and makes one execution", async () => {
    const h = coreHarness();
    h.pipeline.failNextStart = new PipelineError("Rate exceeded", "throttled", true);
    const result = await h.deploy("donations", "staging");
    expect(result.outcome).toBe("started");
    expect((await h.store.getDeploy("d-0001"))?.executionId).toBeUndefined();
    await h.pollAll();
    await h.orchestrator.start("d-0001"); // a duplicate retry changes nothing
    expect(h.pipeline.startCalls().map((c) => c.deployId)).toEqual(["d-0001", "d-0001", "d-0001"]);
    expect(h.pipeline.executions.size).toBe(1);
    expect((await h.store.getDeploy("d-0001"))?.executionId).toBe("exec-1");
  });

  test("a pipeline that does not exist fails the deploy with the explanation and frees the slot", async () => {
    const h = coreHarness();
    h.pipeline.failNextStart = new PipelineError("pipeline donations-staging not found in us-east-1 — check …", "pipeline_not_found", false);
    await h.deploy("donations", "staging");
    expect(await h.store.getDeploy("d-0001")).toMatchObject({ state: "failed", error: expect.stringMatching(/not found/) });
    const next = await h.deploy("donations", "staging");
    expect(next.outcome).toBe("started");
  });

  test("an execution CodePipeline no longer knows fails instead of being followed forever", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    h.pipeline.executions.delete("exec-1");
    await h.pollAll();
    expect(await h.store.getDeploy("d-0001")).toMatchObject({ state: "failed", error: "execution exec-1 not found" });
  });
});
