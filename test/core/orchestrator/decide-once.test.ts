// A command is decided once: at the request (a start needs one write), at a queued deploy's turn
// (a drop keeps its reason code), and at a confirmation (for exactly what the question named).
import type { ConfirmationResult } from "../../../src/core/commands/command-result.js";
import type { Actor } from "../../../src/core/model/actor.js";
import type { EnvironmentSettings } from "../../../src/core/model/config.js";
import { sha } from "../../fakes/fakes.js";
import { apiActor, coreHarness, githubActor, testConfig } from "../harness.js";

/** Counts the store calls a test cares about, in order. */
function spyOn(h: ReturnType<typeof coreHarness>, names: ReadonlyArray<"listLocks" | "insertDeploy" | "claimSlot" | "updateDeploy">): string[] {
  const calls: string[] = [];
  const store = h.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of names) {
    const original = store[name]!.bind(h.store);
    store[name] = (...args: unknown[]) => {
      calls.push(name);
      return original(...args);
    };
  }
  const start = h.pipeline.start.bind(h.pipeline);
  h.pipeline.start = (request) => {
    calls.push("pipeline.start");
    return start(request);
  };
  return calls;
}

async function succeed(h: ReturnType<typeof coreHarness>, env: string, ref: string, actor: Actor = apiActor()) {
  const result = await h.deploy("donations", env, { ref }, { actor });
  const stored = (await h.store.getDeploy(result.deploy!.id))!;
  h.pipeline.finish(stored.executionId!, "Succeeded");
  await h.time.advance(60_000);
  await h.pollAll();
  return stored;
}

describe("a request is decided once", () => {
  test("a deploy to a free target reads the locks once and starts from the one write that records it", async () => {
    const h = coreHarness();
    const calls = spyOn(h, ["listLocks", "insertDeploy", "claimSlot", "updateDeploy"]);
    const result = await h.deploy("donations", "staging", { ref: sha("b") });
    expect(result).toMatchObject({ outcome: "started", deploy: { state: "running", executionId: "exec-1" } });
    expect(calls).toEqual(["listLocks", "insertDeploy", "pipeline.start", "updateDeploy"]);
    expect(await h.store.getDeploy(result.deploy!.id)).toMatchObject({ ownerId: "replica-a", actorKey: "api:ci" });
  });

  test("a deploy behind another is decided again only when its turn comes", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    const calls = spyOn(h, ["listLocks", "claimSlot"]);
    const second = await h.deploy("donations", "staging", { ref: sha("c") }, { actor: githubActor("bob") });
    expect(second.outcome).toBe("queued");
    expect(calls).toEqual(["listLocks"]);
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    expect(calls).toEqual(["listLocks", "listLocks", "claimSlot", "pipeline.start"]);
  });
});

describe("a queued deploy dropped at its turn keeps a reason code", () => {
  test("a lock taken meanwhile drops it as locked, on the deploy and in the audit log", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", { ref: sha("c") }, { actor: githubActor("bob") });
    await h.run({ verb: "lock", service: "donations", env: "staging", reason: "incident" }, { actor: githubActor("carol") });
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    const dropped = await h.store.getDeploy("d-0002");
    expect(dropped).toMatchObject({ state: "cancelled", reasonCode: "locked" });
    expect(dropped?.error).toMatch(/^dropped from the queue: donations\/staging is locked by carol/);
    const audit = await h.store.listAudit({ deployId: "d-0002" });
    expect(audit.find((e) => e.action === "drop")).toMatchObject({ outcome: "dropped", reasonCode: "locked" });
  });

  test("a newer merge supersedes an older queued one, which records superseded", async () => {
    const h = coreHarness();
    const merge = { actor: githubActor("amy"), automatic: true };
    await h.deploy("donations", "staging", { ref: sha("b") }, merge);
    await h.deploy("donations", "staging", { ref: sha("c") }, merge);
    await h.deploy("donations", "staging", { ref: sha("d") }, merge);
    expect(await h.store.getDeploy("d-0002")).toMatchObject({ state: "cancelled", reasonCode: "superseded" });
    expect((await h.store.listAudit({ deployId: "d-0002" })).find((e) => e.action === "supersede")).toMatchObject({ outcome: "superseded", reasonCode: "superseded" });
  });

  test("the owner of a lock is the person who asked, however their name was shown", async () => {
    const deployers = (extra: string[]): EnvironmentSettings => ({ confirm: false, deployers: ["api:ci", ...extra], enforceInPipeline: false });
    const h = coreHarness(testConfig({ environments: { staging: deployers(["slack:U0JORDAN"]), prod: deployers([]) } }));
    // An unmapped Slack user shown by their Slack name: only their user id vouches for them.
    const jordan: Actor = { surface: "slack", name: "jordan", slackUserId: "U0JORDAN" };
    await h.deploy("donations", "staging");
    expect((await h.deploy("donations", "staging", { ref: sha("c") }, { actor: jordan })).outcome).toBe("queued");
    await h.run({ verb: "lock", service: "donations", env: "staging" }, { actor: jordan });
    h.pipeline.finish("exec-1", "Succeeded");
    await h.pollAll();
    expect(await h.store.getDeploy("d-0002")).toMatchObject({ state: "running", actorKey: "slack:U0JORDAN" });
  });
});

describe("rolling back a named release (a card's Roll back) is a core rule", () => {
  test("only the live release may be rolled back, and only once at a time", async () => {
    const h = coreHarness();
    const v1 = await succeed(h, "staging", sha("b"));
    const v2 = await succeed(h, "staging", sha("c"));
    const context = { actor: githubActor("amy") };

    const stale = await h.service.rollbackDeploy(v1.id, context);
    expect(stale).toMatchObject({ outcome: "refused", reasonCode: "not_current" });
    expect("message" in stale && stale.message).toMatch(/^A newer deploy \(`ccccccc`, deploy `d-0002`\) is live in donations\/staging/);

    expect(await h.service.rollbackDeploy(v2.id, context)).toMatchObject({ outcome: "started", record: { rollbackOf: v2.id, sha: sha("b") } });
    expect(await h.service.rollbackDeploy(v2.id, { actor: githubActor("bob") })).toMatchObject({ outcome: "refused", reasonCode: "rollback_in_progress" });
    expect(await h.service.rollbackDeploy("d-unknown", context)).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
    // Rollbacks that name no release are unchanged: the typed command decides for itself.
    expect(h.pipeline.calls.filter((c) => c.op === "rollbackStage")).toHaveLength(1);
  });
});

describe("a confirmation goes ahead with the command as it was decided", () => {
  test("the sha the question named is deployed, even after the branch moved", async () => {
    const h = coreHarness();
    const live = await succeed(h, "staging", "main");
    const asked = await h.service.run({ verb: "deploy", service: "donations", env: "prod", force: false, yes: false }, { actor: apiActor() });
    expect(asked).toMatchObject({ outcome: "refused", reasonCode: "confirmation_required", pending: { verb: "deploy", sha: live.sha, ref: "live in staging" } });
    const { question, pending } = asked as ConfirmationResult;
    expect(question).toBe(`donations/prod asks for confirmation before a deploy of ${live.sha.slice(0, 7)}.`);

    await succeed(h, "staging", sha("e"));
    const confirmed = await h.service.confirm(pending, { actor: apiActor() });
    expect(confirmed).toMatchObject({ outcome: "started", record: { env: "prod", sha: live.sha, ref: "live in staging" } });
  });

  test("a confirmed rollback of a release that is no longer live is refused", async () => {
    const h = coreHarness();
    await succeed(h, "staging", sha("b"));
    await succeed(h, "staging", sha("c"));
    const prod = h.config.environments.prod!;
    await succeed(h, "prod", sha("b"), apiActor());
    expect(prod.confirm).toBe(true);
    const v2 = await h.deploy("donations", "prod", { ref: sha("c") });
    h.pipeline.finish((await h.store.getDeploy(v2.deploy!.id))!.executionId!, "Succeeded");
    await h.time.advance(60_000);
    await h.pollAll();
    const asked = (await h.service.run({ verb: "rollback", service: "donations", env: "prod", force: false, yes: false }, { actor: apiActor() })) as ConfirmationResult;
    expect(asked.pending).toMatchObject({ verb: "rollback", of: v2.deploy!.id });

    await succeed(h, "prod", sha("b"));
    expect(await h.service.confirm(asked.pending, { actor: apiActor() })).toMatchObject({ outcome: "refused", reasonCode: "not_current" });
  });
});
