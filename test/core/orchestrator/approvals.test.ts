// Four-eyes deploys in the core: a deploy that passes the policies waits for approvers, the last
// approval decides it again at its turn, rejections and expiry cancel it, and all of it is audited.
import type { EnvironmentSettings, WhistlestopConfig } from "../../../src/core/model/config.js";
import { sha } from "../../fakes/fakes.js";
import { coreHarness, denyWindow, githubActor, testConfig } from "../harness.js";

const HOUR = 3_600_000;
const prodEnv = (extra: Partial<EnvironmentSettings> = {}): EnvironmentSettings => ({
  confirm: false,
  deployers: [],
  enforceInPipeline: false,
  approvals: { required: 1, from: ["rita", "ron", "@hfa/sre"], expiresMs: HOUR },
  ...extra,
});
const config = (extra: Partial<EnvironmentSettings> = {}, more: Partial<WhistlestopConfig> = {}) =>
  testConfig({ environments: { ...testConfig().environments, prod: prodEnv(extra) }, ...more });

const dana = githubActor("dana");
const rita = githubActor("rita");
const ron = githubActor("ron");

async function requested(h: ReturnType<typeof coreHarness>, ref = sha("b")) {
  const result = await h.deploy("donations", "prod", { ref }, { actor: dana });
  await h.notifications.idle();
  return result;
}

describe("approvals in the core", () => {
  test("a deploy that passes the policies waits in awaiting_approval: nothing starts, the card is told", async () => {
    const h = coreHarness(config());
    const result = await requested(h);
    expect(result).toMatchObject({ outcome: "waiting", deploy: { state: "awaiting_approval", approval: { required: 1, approvedBy: [], expiresAt: "2026-11-27T16:00:00.000Z" } } });
    expect(result.message).toContain("needs 1 approval from rita, ron, @hfa/sre by 11:00 EST");
    expect(result.message).toContain(`approve ${result.deploy!.id}`);
    expect(h.pipeline.calls.filter((c) => c.op === "start")).toEqual([]);
    expect(h.notifier.types(result.deploy!.id)).toEqual(["awaiting_approval"]);
    expect(await h.store.listQueue("donations", "prod")).toEqual([]);
  });

  test("the requester's own approval is refused with self_approval, a stranger's with not_an_approver; a listed approver's starts it once", async () => {
    const h = coreHarness(config());
    const { deploy } = await requested(h);
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: dana })).toMatchObject({ outcome: "refused", reasonCode: "self_approval" });
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: githubActor("eve") })).toMatchObject({ outcome: "refused", reasonCode: "not_an_approver" });
    const approved = await h.run({ verb: "approve", id: deploy!.id }, { actor: rita });
    expect(approved).toMatchObject({ outcome: "started", deploy: { state: "running", approval: { approvedBy: ["rita"] } } });
    expect(approved.message).toMatch(/^Approved by rita \(1 of 1 approval\): deploy d-0001 of donations\/prod at b{7} started\.$/);
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: ron })).toMatchObject({ outcome: "refused", reasonCode: "not_found", message: expect.stringContaining("no longer awaits approval: it is running (approved by rita)") });
    expect(h.pipeline.calls.filter((c) => c.op === "start")).toHaveLength(1);
    const audit = h.store.audit.filter((e) => e.action === "approve");
    expect(audit.map((e) => [e.actor, e.outcome, e.reasonCode, e.deployId, e.service, e.env])).toEqual([
      ["dana", "refused", "self_approval", deploy!.id, "donations", "prod"],
      ["eve", "refused", "not_an_approver", deploy!.id, "donations", "prod"],
      ["rita", "started", undefined, deploy!.id, "donations", "prod"],
      ["ron", "refused", "not_found", deploy!.id, "donations", "prod"],
    ]);
  });

  test("with required: 2 the first approval is counted and the card updated; a repeat counts once; the second starts it", async () => {
    const h = coreHarness(config({ approvals: { required: 2, from: ["rita", "ron"], expiresMs: HOUR } }));
    const { deploy } = await requested(h);
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: rita })).toMatchObject({ outcome: "done", message: expect.stringContaining("1 of 2 approvals (rita) and needs 1 more") });
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: { ...rita, surface: "slack", slackUserId: "U0RITA" } })).toMatchObject({ outcome: "done", message: expect.stringMatching(/^You already approved/) });
    await h.notifications.idle();
    expect(h.notifier.types(deploy!.id)).toEqual(["awaiting_approval", "awaiting_approval"]);
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: ron })).toMatchObject({
      outcome: "started",
      message: expect.stringMatching(/^Approved by ron \(2 of 2 approvals, with rita\): deploy /),
      deploy: { approval: { approvedBy: ["rita", "ron"] } },
    });
  });

  test("a lock taken during the wait turns the last approval into a refusal with locked; nothing starts", async () => {
    const h = coreHarness(config());
    const { deploy } = await requested(h);
    await h.run({ verb: "lock", service: "donations", env: "prod", reason: "incident" }, { actor: githubActor("sre-sam") });
    const approved = await h.run({ verb: "approve", id: deploy!.id }, { actor: rita });
    expect(approved).toMatchObject({ outcome: "refused", reasonCode: "locked", message: expect.stringContaining("was decided again and did not go: dropped from the queue: donations/prod is locked by sre-sam") });
    expect(await h.store.getDeploy(deploy!.id)).toMatchObject({ state: "cancelled", reasonCode: "locked" });
    expect(h.pipeline.calls.filter((c) => c.op === "start")).toEqual([]);
    expect(h.store.audit.find((e) => e.action === "drop")).toMatchObject({ deployId: deploy!.id, reasonCode: "locked" });
  });

  test("a window that opened during the wait makes the approved deploy wait for it, and it starts when the window ends", async () => {
    const h = coreHarness(config({}, { windows: [denyWindow("Debate", "2026-11-27T10:30", "2026-11-27T12:00")] }));
    const { deploy } = await requested(h);
    await h.time.advance(45 * 60_000);
    const approved = await h.run({ verb: "approve", id: deploy!.id }, { actor: rita });
    expect(approved).toMatchObject({ outcome: "waiting", deploy: { state: "queued", waitingReason: expect.stringContaining("waiting for a critical window to end") } });
    await h.time.set("2026-11-27T17:01:00Z");
    await h.orchestrator.sweep();
    expect(await h.store.getDeploy(deploy!.id)).toMatchObject({ state: "running" });
    expect(h.pipeline.calls.filter((c) => c.op === "start")).toHaveLength(1);
  });

  test("approved behind a running deploy it queues; where concurrency is reject it is refused busy", async () => {
    const h = coreHarness(config());
    const first = await requested(h, sha("c"));
    await h.run({ verb: "approve", id: first.deploy!.id }, { actor: rita });
    const second = await requested(h, sha("d"));
    expect(await h.run({ verb: "approve", id: second.deploy!.id }, { actor: rita })).toMatchObject({ outcome: "queued", deploy: { queuePosition: 1 } });

    const base = config();
    const strict = coreHarness({ ...base, services: { ...base.services, donations: { ...base.services.donations!, environments: { prod: { concurrency: "reject" } } } } });
    const a = await requested(strict, sha("c"));
    const b = await requested(strict, sha("d"));
    await strict.run({ verb: "approve", id: a.deploy!.id }, { actor: rita });
    expect(await strict.run({ verb: "approve", id: b.deploy!.id }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "busy" });
    expect(await strict.store.getDeploy(b.deploy!.id)).toMatchObject({ state: "cancelled", reasonCode: "busy" });
  });

  test("a request lapses after expires: the sweep cancels it with approval_expired, and a late approval is told so", async () => {
    const h = coreHarness(config());
    const { deploy } = await requested(h);
    await h.time.advance(HOUR - 1);
    await h.orchestrator.sweep();
    expect(await h.store.getDeploy(deploy!.id)).toMatchObject({ state: "awaiting_approval" });
    await h.time.advance(1);
    await h.orchestrator.sweep();
    await h.notifications.idle();
    expect(await h.store.getDeploy(deploy!.id)).toMatchObject({ state: "cancelled", reasonCode: "approval_expired", error: expect.stringContaining("approval request expired: not enough approvals came before Fri Nov 27 11:00 EST (0 of 1 approvals)") });
    expect(h.notifier.types(deploy!.id)).toEqual(["awaiting_approval", "cancelled"]);
    const late = await h.run({ verb: "approve", id: deploy!.id }, { actor: rita });
    expect(late).toMatchObject({ outcome: "refused", reasonCode: "approval_expired" });
    expect(h.store.audit.filter((e) => e.action === "expire")).toHaveLength(1);
    expect(h.pipeline.calls.filter((c) => c.op === "start")).toEqual([]);
  });

  test("an approval that arrives after the expiry but before any sweep lapses the request itself", async () => {
    const h = coreHarness(config());
    const { deploy } = await requested(h);
    await h.time.advance(HOUR);
    expect(await h.run({ verb: "approve", id: deploy!.id }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "approval_expired" });
    expect(await h.store.getDeploy(deploy!.id)).toMatchObject({ state: "cancelled", reasonCode: "approval_expired" });
  });

  test("reject: an approver cancels it with who and why; the requester may withdraw; others may not", async () => {
    const h = coreHarness(config());
    const one = await requested(h, sha("c"));
    expect(await h.run({ verb: "reject", id: one.deploy!.id, reason: "not during the rally" }, { actor: githubActor("eve") })).toMatchObject({ outcome: "refused", reasonCode: "not_an_approver" });
    const rejected = await h.run({ verb: "reject", id: one.deploy!.id, reason: "not during the rally" }, { actor: ron });
    expect(rejected).toMatchObject({ outcome: "done", message: expect.stringMatching(/^Rejected deploy .* \(not during the rally\); it will not run\.$/) });
    expect(await h.store.getDeploy(one.deploy!.id)).toMatchObject({ state: "cancelled", error: "rejected by ron: not during the rally" });
    expect(await h.run({ verb: "approve", id: one.deploy!.id }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
    const two = await requested(h, sha("d"));
    expect(await h.run({ verb: "reject", id: two.deploy!.id }, { actor: dana })).toMatchObject({ outcome: "done", message: expect.stringMatching(/^Withdrew deploy/) });
    expect(h.store.audit.filter((e) => e.action === "reject").map((e) => [e.actor, e.outcome, e.deployId])).toEqual([
      ["eve", "refused", one.deploy!.id],
      ["ron", "done", one.deploy!.id],
      ["dana", "done", two.deploy!.id],
    ]);
  });

  test("unknown deploys and deploys that never awaited approval are refused with not_found and change nothing", async () => {
    const h = coreHarness(config());
    expect(await h.run({ verb: "approve", id: "d-nope" }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "not_found", message: expect.stringContaining("There is no deploy d-nope") });
    const staging = await h.deploy("donations", "staging", { ref: sha("e") });
    expect(await h.run({ verb: "approve", id: staging.deploy!.id }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "not_found", message: expect.stringContaining("does not await approval (it is running)") });
    expect(await h.run({ verb: "reject", id: staging.deploy!.id }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
    expect(await h.store.getDeploy(staging.deploy!.id)).toMatchObject({ state: "running" });
  });

  test("an API client approves only with approve in its may and the deploy's environment in its scope", async () => {
    const clients = { reviewer: { may: ["approve" as const], services: ["*"], environments: ["prod"] }, stager: { may: ["approve" as const], services: ["*"], environments: ["staging"] } };
    const h = coreHarness(config({ approvals: { required: 1, from: ["api:reviewer", "api:stager", "api:ci"], expiresMs: HOUR } }, { apiClients: { ...testConfig().apiClients, ...clients } }));
    const { deploy } = await requested(h);
    const client = (name: string) => ({ actor: { surface: "api" as const, name: `api:${name}`, apiClient: name } });
    expect(await h.run({ verb: "approve", id: deploy!.id }, client("ci"))).toMatchObject({ reasonCode: "permission_denied", message: expect.stringContaining("may not approve") });
    expect(await h.run({ verb: "approve", id: deploy!.id }, client("stager"))).toMatchObject({ reasonCode: "permission_denied" });
    expect(await h.run({ verb: "approve", id: deploy!.id }, client("reviewer"))).toMatchObject({ outcome: "started" });
  });

  test("cancel <service> <env> withdraws the caller's own request awaiting approval; another deployer's cancel leaves it", async () => {
    const h = coreHarness(config());
    const { deploy } = await requested(h);
    expect(await h.run({ verb: "cancel", service: "donations", env: "prod" }, { actor: rita })).toMatchObject({ outcome: "refused", reasonCode: "not_found" });
    expect(await h.run({ verb: "cancel", service: "donations", env: "prod" }, { actor: dana })).toMatchObject({ outcome: "done", message: expect.stringContaining("which was awaiting approval") });
    await h.notifications.idle();
    expect(await h.store.getDeploy(deploy!.id)).toMatchObject({ state: "cancelled", error: "cancelled by dana" });
    expect(h.notifier.types(deploy!.id)).toEqual(["awaiting_approval", "cancelled"]);
  });
});
