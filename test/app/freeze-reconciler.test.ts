import { readFileSync } from "node:fs";
import { sanitizeTransitionReason } from "../../src/adapters/codepipeline/aws-text-limits.js";
import { FreezeReconciler } from "../../src/app/freeze-reconciler.js";
import { parseConfig } from "../../src/config/load-config.js";
import type { WhistlestopConfig } from "../../src/core/model/config.js";
import type { Deploy, NewDeploy } from "../../src/core/model/deploy.js";
import type { Lock } from "../../src/core/model/lock.js";
import { silentLogger } from "../../src/core/ports/logger.js";
import { PipelineError } from "../../src/core/ports/pipeline.js";
import { FakePipeline } from "../fakes/fake-pipeline.js";
import { FakeTime } from "../kit/fake-time.js";
import { MemoryStore } from "../fakes/memory-store.js";
import { aLock, aNewDeploy } from "../kit/builders.js";

const config: WhistlestopConfig = (() => {
  const parsed = parseConfig(readFileSync(new URL("../../examples/whistlestop.yml", import.meta.url), "utf8"), "whistlestop.yml");
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.config;
})();

const PROD_PIPELINES = [
  "donations-production",
  "events-prod",
  "call-tool-prod",
  "voter-protection-prod",
  "email-signup-prod",
  "volunteer-signup-prod",
  "polling-locator-prod",
  "text-banking-prod",
  "api-gateway-prod",
  "static-site-prod",
];
const MINUTE = 60_000;

/** Election night in the example config: 2026-11-03 18:00 → 11-04 06:00 New York (EST) = 23:00Z → 11:00Z. */
function setup(startIso = "2026-11-03T22:00:00Z") {
  const timers = new FakeTime(startIso);
  const clock = timers.clock;
  const store = new MemoryStore();
  const pipeline = new FakePipeline();
  const freezes = new FreezeReconciler(config, store, pipeline, clock, timers, silentLogger);
  /** The transition each pipeline was last set to. */
  const transitions = () => {
    const last = new Map<string, { enabled: boolean; reason: string; stage: string }>();
    for (const call of pipeline.calls.filter((c) => c.op === "setInboundTransition")) {
      const [name, stage, enabled, reason] = call.args as [string, string, boolean, string];
      last.set(name, { enabled, reason, stage });
    }
    return last;
  };
  const disabled = () => [...transitions().entries()].filter(([, t]) => !t.enabled).map(([name]) => name).sort();
  const transitionCalls = () => pipeline.calls.filter((c) => c.op === "setInboundTransition").length;
  return { timers, clock, store, pipeline, freezes, transitions, disabled, transitionCalls };
}

type Setup = ReturnType<typeof setup>;

const adminLock = (now: Date, extra: Partial<Lock> = {}): Lock => aLock({ service: "all", owner: "sandbox-admin", reason: "election: all/hands", createdAt: now.toISOString(), ...extra });

async function runningDeploy(s: Setup, overrides: Partial<NewDeploy>): Promise<Deploy> {
  const id = overrides.id ?? `d-${s.store.deploys.size + 1}`;
  await s.store.insertDeploy(
    aNewDeploy({ id, env: "prod", actor: "sandbox-admin", actorLogin: "sandbox-admin", pipelineName: "donations-production", requestedAt: s.clock.now().toISOString(), ...overrides }),
  );
  expect(await s.store.claimSlot(id, s.clock.now())).toBe(true);
  return (await s.store.getDeploy(id))!;
}

async function finish(s: Setup, deploy: Deploy): Promise<void> {
  const finished = await s.store.updateDeploy(deploy.id, { state: "succeeded", finishedAt: s.clock.now().toISOString() }, "running");
  await s.freezes.notify({ type: "succeeded", deploy: finished!, at: s.clock.now().toISOString() });
  await s.timers.advance(0);
}

describe("hard freezes (enforce_in_pipeline) on the deploy stage's inbound transition", () => {
  let s: Setup;
  beforeEach(() => {
    s = setup();
  });
  afterEach(() => s.freezes.stop());


  test("at start-up every enforcing pipeline (prod only) is brought in line: open when nothing freezes it", async () => {
    await s.freezes.reconcile();
    const transitions = s.transitions();
    expect([...transitions.keys()].sort()).toEqual([...PROD_PIPELINES].sort());
    for (const t of transitions.values()) expect(t).toMatchObject({ enabled: true, stage: "Deploy" });
    const calls = s.transitionCalls();
    await s.freezes.reconcile();
    expect(s.transitionCalls()).toBe(calls);
  });

  test("a deny window opening disables the deploy stages it covers, naming the window", async () => {
    s = setup("2026-11-03T22:58:00Z");
    await s.freezes.reconcile();
    await s.timers.advance(1 * MINUTE);
    expect(s.disabled()).toEqual([]);

    await s.timers.advance(2 * MINUTE);
    expect(s.disabled()).toEqual([...PROD_PIPELINES].sort());
    const reason = s.transitions().get("donations-production")!.reason;
    expect(reason).toContain('window "Election night"');
    expect(sanitizeTransitionReason(reason)).toMatch(/^[A-Za-z0-9!@ ().*?-]+$/);
    expect(sanitizeTransitionReason(reason)).toContain("Election night (Results night traffic prod is frozen until 06 00)");
  });

  test("the window's end re-enables them", async () => {
    s = setup("2026-11-04T10:58:00Z");
    await s.freezes.reconcile();
    expect(s.disabled()).toEqual([...PROD_PIPELINES].sort());
    await s.timers.advance(1 * MINUTE);
    expect(s.disabled()).toHaveLength(PROD_PIPELINES.length);
    await s.timers.advance(2 * MINUTE);
    expect(s.disabled()).toEqual([]);
    expect(s.transitions().get("donations-production")!.reason).toBe("Whistlestop freeze ended");
  });

  test("a window scoped to some services freezes only their prod pipelines", async () => {
    // Debate nights: Oct 15 21:00 New York (EDT) = 16 Oct 01:00Z, for donations, email/volunteer sign-up and call-*.
    s = setup("2026-10-16T00:58:00Z");
    await s.freezes.reconcile();
    await s.timers.advance(3 * MINUTE);
    expect(s.disabled()).toEqual(["call-tool-prod", "donations-production", "email-signup-prod", "volunteer-signup-prod"]);
  });

  test("lock all prod disables every prod pipeline, unlock re-enables; a lock on one service does not", async () => {
    await s.freezes.reconcile();
    await s.store.takeLock({ ...adminLock(s.clock.now()), service: "donations" }, s.clock.now());
    await s.freezes.reconcile();
    expect(s.disabled()).toEqual([]);

    await s.store.takeLock(adminLock(s.clock.now()), s.clock.now());
    await s.freezes.reconcile();
    expect(s.disabled()).toEqual([...PROD_PIPELINES].sort());
    expect(s.transitions().get("events-prod")!.reason).toContain("lock all/prod by sandbox-admin (election: all/hands)");

    await s.store.releaseLock("all", "prod");
    await s.freezes.reconcile();
    expect(s.disabled()).toEqual([]);
  });

  test("a frozen transition is asserted again every few minutes, in case someone enabled it by hand", async () => {
    await s.store.takeLock(adminLock(s.clock.now()), s.clock.now());
    await s.freezes.reconcile();
    const disables = () => s.pipeline.calls.filter((c) => c.op === "setInboundTransition" && c.args[2] === false).length;
    expect(disables()).toBe(PROD_PIPELINES.length);
    await s.freezes.reconcile();
    expect(disables()).toBe(PROD_PIPELINES.length);
    await s.timers.advance(6 * MINUTE);
    expect(disables()).toBe(2 * PROD_PIPELINES.length);
  });

  test("a lock with an end re-enables the transitions when it expires, without anyone unlocking", async () => {
    await s.store.takeLock(adminLock(s.clock.now(), { expiresAt: new Date(s.clock.now().getTime() + 30 * MINUTE).toISOString() }), s.clock.now());
    await s.freezes.reconcile();
    expect(s.disabled()).toHaveLength(PROD_PIPELINES.length);
    await s.timers.advance(29 * MINUTE);
    expect(s.disabled()).toHaveLength(PROD_PIPELINES.length);
    await s.timers.advance(2 * MINUTE);
    expect(s.disabled()).toEqual([]);
  });

  test.each([
    ["an admin's forced deploy", { forced: true }],
    ["a rollback", { rollbackOf: "d-earlier" }],
  ])("%s opens its own pipeline's transition while it runs, and the freeze returns when it ends", async (_name, overrides) => {
    await s.store.takeLock(adminLock(s.clock.now(), { owner: "alex-sre", ownerKey: "login:alex-sre" }), s.clock.now());
    await s.freezes.reconcile();
    expect(s.disabled()).toHaveLength(PROD_PIPELINES.length);

    const deploy = await runningDeploy(s, overrides);
    await s.freezes.notify({ type: "started", deploy, at: s.clock.now().toISOString() });
    await s.timers.advance(0);
    expect(s.disabled()).not.toContain("donations-production");
    expect(s.disabled()).toHaveLength(PROD_PIPELINES.length - 1);

    await finish(s, deploy);
    expect(s.disabled()).toContain("donations-production");
  });

  test("the lock owner's own deploy is not held at the transition their all-scoped lock closed", async () => {
    await s.store.takeLock(adminLock(s.clock.now()), s.clock.now());
    await s.freezes.reconcile();
    const deploy = await runningDeploy(s, {});
    await s.freezes.notify({ type: "started", deploy, at: s.clock.now().toISOString() });
    await s.timers.advance(0);
    expect(s.disabled()).not.toContain("donations-production");
    await finish(s, deploy);
    expect(s.disabled()).toContain("donations-production");
  });

  test("someone else's ordinary deploy does not open a transition a lock closed", async () => {
    await s.store.takeLock(adminLock(s.clock.now()), s.clock.now());
    await s.freezes.reconcile();
    const deploy = await runningDeploy(s, { actor: "jordan-payments", actorLogin: "jordan-payments" });
    await s.freezes.notify({ type: "started", deploy, at: s.clock.now().toISOString() });
    await s.timers.advance(0);
    expect(s.disabled()).toContain("donations-production");
  });

  test("a failing setInboundTransition is retried soon, and the others are applied meanwhile", async () => {
    const original = s.pipeline.setInboundTransition.bind(s.pipeline);
    let failures = 2;
    s.pipeline.setInboundTransition = async (name, stage, enabled, reason) => {
      if (name === "donations-production" && !enabled && failures-- > 0) throw new PipelineError("Rate exceeded", "throttled", true);
      return original(name, stage, enabled, reason);
    };
    await s.freezes.reconcile();
    await s.store.takeLock(adminLock(s.clock.now()), s.clock.now());
    await s.freezes.reconcile();
    expect(s.disabled()).toEqual(PROD_PIPELINES.filter((p) => p !== "donations-production").sort());

    await s.freezes.reconcile();
    expect(s.disabled()).not.toContain("donations-production");
    await s.timers.advance(MINUTE);
    expect(s.disabled()).toEqual([...PROD_PIPELINES].sort());
  });
});
