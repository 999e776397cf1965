import { sha } from "../../fakes/fakes.js";
import { coreHarness, githubActor } from "../harness.js";

async function succeed(h: ReturnType<typeof coreHarness>, ref: string, env = "staging") {
  const result = await h.deploy("donations", env, { ref });
  const id = result.deploy!.id;
  const executionId = (await h.store.getDeploy(id))!.executionId!;
  h.pipeline.finish(executionId, "Succeeded");
  await h.time.advance(60_000);
  await h.pollAll();
  return { id, executionId };
}

describe("cancel", () => {
  test("stops the running execution; the deploy becomes cancelled when the pipeline says so", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    const result = await h.run({ verb: "cancel", service: "donations", env: "staging" }, { actor: githubActor("bob") });
    expect(result.outcome).toBe("done");
    expect(h.pipeline.calls.find((c) => c.op === "stop")?.args).toEqual(["donations-staging", "exec-1", "cancelled by bob"]);
    await h.pollAll();
    expect(await h.store.getDeploy("d-0001")).toMatchObject({ state: "cancelled", error: "cancelled by bob" });
  });

  test("drops the caller's own queued deploy before touching the running one", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", {}, { actor: githubActor("bob") });
    await h.run({ verb: "cancel", service: "donations", env: "staging" }, { actor: githubActor("bob") });
    expect((await h.store.getDeploy("d-0002"))?.state).toBe("cancelled");
    expect((await h.store.getDeploy("d-0001"))?.state).toBe("running");
  });

  test("cancelling one deploy by id (a card's button) touches no other deploy", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", {}, { actor: githubActor("bob") });
    const result = await h.service.cancelById("d-0002", { actor: githubActor("carol") });
    expect(result.outcome).toBe("done");
    expect((await h.store.getDeploy("d-0002"))?.state).toBe("cancelled");
    expect((await h.store.getDeploy("d-0001"))?.state).toBe("running");
    expect(h.pipeline.calls.filter((c) => c.op === "stop")).toEqual([]);
    const again = await h.service.cancelById("d-0002", { actor: githubActor("carol") });
    expect(again).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
  });

  test("with nothing to cancel it says so", async () => {
    const h = coreHarness();
    expect(await h.run({ verb: "cancel", service: "donations", env: "staging" })).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
  });
});

describe("rollback", () => {
  test("rollback-stage targets the execution of the release before the current one", async () => {
    const h = coreHarness();
    const first = await succeed(h, sha("b"));
    const second = await succeed(h, sha("c"));
    const result = await h.run({ verb: "rollback", service: "donations", env: "staging", force: false, yes: false });
    expect(result.outcome).toBe("started");
    expect(h.pipeline.calls.find((c) => c.op === "rollbackStage")?.args).toEqual(["donations-staging", "Deploy", first.executionId]);
    expect(await h.store.getDeploy(result.deploy!.id)).toMatchObject({ sha: sha("b"), rollbackOf: second.id, rollbackTargetExecutionId: first.executionId });
  });

  test("with only one release there is nothing to roll back to", async () => {
    const h = coreHarness();
    await succeed(h, sha("b"));
    const result = await h.run({ verb: "rollback", service: "donations", env: "staging", force: false, yes: false });
    expect(result).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
  });
});

describe("promotion and confirmation", () => {
  test("prod without a ref takes the sha live in staging, and asks for confirmation first", async () => {
    const h = coreHarness();
    await succeed(h, sha("b"));
    const unconfirmed = await h.deploy("donations", "prod", { yes: false });
    expect(unconfirmed).toMatchObject({ outcome: "refused", reasonCode: "confirmation_required" });
    const confirmed = await h.deploy("donations", "prod");
    expect(confirmed.outcome).toBe("started");
    expect(h.pipeline.startCalls().at(-1)).toMatchObject({ pipelineName: "donations-prod", sha: sha("b") });
  });

  test("a sha that never succeeded in staging is refused for prod", async () => {
    const h = coreHarness();
    await succeed(h, sha("b"));
    expect(await h.deploy("donations", "prod", { ref: sha("e") })).toMatchObject({ outcome: "refused", reasonCode: "not_promoted" });
  });
});

describe("restarts, replicas and reporting", () => {
  test("a deploy whose owner's lease expired is taken over by another replica's sweep", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.store.updateDeploy("d-0001", { ownerId: "replica-dead", leaseExpiresAt: "2026-11-27T14:59:00.000Z" });
    h.tracker.tracked.clear();
    await h.orchestrator.sweep();
    expect(h.tracker.tracked.has("d-0001")).toBe(true);
    expect((await h.store.getDeploy("d-0001"))?.ownerId).toBe("replica-a");
  });

  test("a live lease held by another replica is left alone", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.store.updateDeploy("d-0001", { ownerId: "replica-b", leaseExpiresAt: "2026-11-27T15:00:30.000Z" });
    h.tracker.tracked.clear();
    await h.orchestrator.sweep();
    expect(h.tracker.tracked.size).toBe(0);
    expect(await h.orchestrator.reconcile("d-0001")).toBe("done");
  });

  test("events a notifier failed to deliver are sent again by the next sweep", async () => {
    const h = coreHarness();
    h.notifier.failing = true;
    await h.deploy("donations", "staging");
    await h.notifications.idle();
    expect((await h.store.getDeploy("d-0001"))?.notifiedState).toBeUndefined();
    h.notifier.failing = false;
    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(h.notifier.types("d-0001")).toEqual(["started"]);
    expect((await h.store.getDeploy("d-0001"))?.notifiedState).toBe("running");
  });

  test("when the store is down, commands are refused with a clear message and nothing starts", async () => {
    const h = coreHarness();
    h.store.down = true;
    const result = await h.deploy("donations", "staging");
    expect(result).toMatchObject({ outcome: "refused", reasonCode: "store_unavailable" });
    expect(result.message).toMatch(/cannot reach its database/);
    expect(h.pipeline.startCalls()).toHaveLength(0);
  });

  test("every decision is in the audit log", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.deploy("events", "staging");
    await h.deploy("events", "staging");
    expect(h.store.audit.map((e) => [e.action, e.service, e.outcome, e.reasonCode])).toEqual([
      ["deploy", "donations", "started", undefined],
      ["deploy", "events", "started", undefined],
      ["deploy", "events", "refused", "busy"],
    ]);
  });
});
