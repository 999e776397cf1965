import { milestonesFor, rolledBackReply } from "../../src/adapters/slack/card-milestones.js";
import { describeForcedPast } from "../../src/adapters/slack/forced-past.js";
import type { WindowConfig } from "../../src/core/model/config.js";
import type { DeployEvent, DeployEventType } from "../../src/core/ports/notifier.js";
import { loadTestConfig } from "../kit/test-app.js";
import { deployFixture } from "./deploy-fixture.js";

const NOW = new Date("2026-10-01T14:02:05.000Z");
const event = (type: DeployEventType, deploy = deployFixture(), note?: string): DeployEvent => ({ type, deploy, at: NOW.toISOString(), ...(note ? { note } : {}) });
const texts = (e: DeployEvent, context = {}) => milestonesFor(e, { now: NOW, ...context }).map((m) => `${m.key}: ${m.text}`);

describe("thread replies on the card", () => {
  test("queued: the position", () => {
    expect(texts(event("queued", deployFixture({ state: "queued" }), "position 2 in the queue"))).toEqual([
      "queued: ⏳ Waiting in the queue — position 2 in the queue. It starts by itself when the deploys ahead of it finish.",
    ]);
  });

  test("waiting for a window: until when, once per reason", () => {
    const waiting = deployFixture({ state: "queued", waitingReason: "waiting for a critical window to end until 00:00 EDT" });
    const [reply] = milestonesFor(event("waiting", waiting), { now: NOW });
    expect(reply!.text).toBe("🕒 Waiting for a critical window to end until 00:00 EDT. It starts by itself when the window ends.");
    const later = milestonesFor(event("waiting", deployFixture({ state: "queued", waitingReason: "waiting for a critical window to end until 06:00 EST" })), { now: NOW });
    expect(later[0]!.key).not.toBe(reply!.key);
  });

  test("started links the execution; a rollback says what it goes back to", () => {
    expect(texts(event("started"), { executionUrl: "https://console/x" })).toEqual(["started: 🚀 Deploy of `0123456` started by octocat — <https://console/x|pipeline execution>"]);
    expect(texts(event("started", deployFixture({ rollbackOf: "d-old" })))).toEqual(["started: ↩️ Rollback to `0123456` started by octocat"]);
  });

  test("succeeded: duration and artifact; failed: error and log link; cancelled and superseded: why", () => {
    const finishedAt = "2026-10-01T14:04:10.000Z";
    expect(texts(event("succeeded", deployFixture({ state: "succeeded", artifact: "ami-0abc", finishedAt })))).toEqual(["succeeded: ✅ `0123456` is live in prod after 4m 10s — artifact `ami-0abc`"]);
    expect(texts(event("failed", deployFixture({ state: "failed", error: "Bake: <timeout>", finishedAt })), { logUrl: "https://console/log" })).toEqual([
      "failed: ❌ Failed after 4m 10s: Bake: &lt;timeout&gt; — <https://console/log|logs>",
    ]);
    expect(texts(event("cancelled", deployFixture({ state: "cancelled", error: "cancelled by alex-sre" })))).toEqual(["cancelled: ⊘ Cancelled: cancelled by alex-sre. Nothing more will run for this deploy."]);
    expect(texts(event("superseded", deployFixture({ state: "cancelled", error: "superseded by a newer merge (89abcde)" })))).toEqual([
      "superseded: ⏭ Superseded: superseded by a newer merge (89abcde); the newer deploy takes its place.",
    ]);
    expect(texts(event("progress"))).toEqual([]);
  });

  test("a forced deploy is announced loudly (broadcast to the channel), with what it went past and why", () => {
    const forced = deployFixture({ state: "queued", forced: true, reason: "hotfix", actor: "alex-sre", actorLogin: "alex-sre" });
    const replies = milestonesFor(event("queued", forced, "position 1 in the queue"), { now: NOW, forcedPast: ["🔒 jordan-payments's lock on donations/prod (debate prep)"] });
    expect(replies[0]).toEqual({ key: "forced", text: "⚠️ *FORCED* by alex-sre past 🔒 jordan-payments's lock on donations/prod (debate prep). Reason: _hotfix_", broadcast: true });
    expect(replies.map((r) => r.key)).toEqual(["forced", "queued"]);
    expect(milestonesFor(event("succeeded", { ...forced, state: "succeeded" }), { now: NOW }).map((r) => r.key)).toEqual(["succeeded"]);
  });

  test("the replaced release's card hears of the rollback", () => {
    expect(rolledBackReply(deployFixture({ id: "d-rb", rollbackOf: "d-old", actor: "octocat" }))).toEqual({
      key: "rolled-back-by:d-rb",
      text: "↩️ Rolled back by octocat: donations/prod is on `0123456` again (deploy `d-rb`).",
    });
  });
});

describe("what a forced deploy went past", () => {
  const config = loadTestConfig();
  const open = { openAt: () => ({ start: NOW, end: new Date(NOW.getTime() + 3600_000) }), nextAfter: () => null };
  const closed = { openAt: () => null, nextAfter: () => null };
  const window = (name: string, kind: "deny" | "allow", schedule: WindowConfig["schedule"]): WindowConfig => ({ name, kind, environments: ["prod"], services: ["donations"], allowRollback: true, timezone: "UTC", schedule });
  const lock = { service: "donations", env: "prod", owner: "jordan-payments", ownerKey: "login:jordan-payments", reason: "debate prep", createdAt: NOW.toISOString() };
  const forced = deployFixture({ forced: true, actor: "alex-sre", actorLogin: "alex-sre" });

  test("others' locks and open deny windows; not the actor's own lock", () => {
    const withWindows = { ...config, windows: [window("Debate nights", "deny", open), window("Election night", "deny", closed)] };
    expect(describeForcedPast(forced, [lock, { ...lock, service: "all", owner: "alex-sre", ownerKey: "login:alex-sre", reason: undefined }], withWindows, NOW)).toEqual([
      "🔒 jordan-payments's lock on donations/prod (debate prep)",
      "the Debate nights window",
    ]);
  });

  test("outside every allow window that covers it", () => {
    const withAllow = { ...config, windows: [window("Business hours", "allow", closed)] };
    expect(describeForcedPast(forced, [], withAllow, NOW)).toEqual(["outside the Business hours window"]);
  });
});
