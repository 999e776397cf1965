// The queue gate reads what may have changed while a deploy waited and asks `decide`; every drop
// carries a reason code, and a forced deploy reads nothing.
import type { WhistlestopConfig } from "../../../src/core/model/config.js";
import type { Deploy } from "../../../src/core/model/deploy.js";
import type { Lock } from "../../../src/core/model/lock.js";
import { PolicyQueueGate } from "../../../src/core/orchestrator/policy-queue-gate.js";
import type { GateVerdict } from "../../../src/core/orchestrator/queue-gate.js";
import { sha } from "../../fakes/fakes.js";
import { aDeploy, aLock } from "../../kit/builders.js";
import { FakeTime } from "../../kit/fake-time.js";
import { denyWindow, testConfig } from "../harness.js";

const NOW = "2026-11-27T15:00:00Z"; // 10:00 in New York

const queued = (fields: Partial<Deploy> = {}): Deploy =>
  aDeploy({ id: "d-0002", env: "prod", sha: sha("c"), actor: "jordan", actorKey: "slack:U0JORDAN", surface: "slack", state: "queued", seq: 2, pipelineName: "donations-prod", requestedAt: NOW, ...fields });

const lock = (ownerKey: string): Lock => aLock({ env: "all", owner: ownerKey, ownerKey, createdAt: NOW });

async function verdict(head: Deploy, facts: { config?: WhistlestopConfig; locks?: Lock[]; promoted?: boolean } = {}): Promise<GateVerdict & { reads: number }> {
  let reads = 0;
  const store = {
    listLocks: async () => (reads++, facts.locks ?? []),
    hasSucceeded: async () => (reads++, facts.promoted ?? true),
  };
  const gate = new PolicyQueueGate(facts.config ?? testConfig(), store, new FakeTime(NOW).clock);
  return { ...(await gate.check(head)), reads };
}

const windowed = testConfig({ windows: [denyWindow("Debate night", "2026-11-27T09:00", "2026-11-27T12:00", { environments: ["prod"] })] });

describe("PolicyQueueGate: a queued deploy at its turn", () => {
  it.each<[string, Deploy, Parameters<typeof verdict>[1], string]>([
    ["nothing changed: it goes", queued(), {}, "go"],
    ["someone else's lock: dropped, locked", queued(), { locks: [lock("login:carol")] }, "drop:locked"],
    ["its own requester's lock: it goes", queued(), { locks: [lock("slack:U0JORDAN")] }, "go"],
    ["its sha no longer promoted: dropped, not_promoted", queued(), { promoted: false }, "drop:not_promoted"],
    ["a window opened: it waits, window_closed", queued(), { config: windowed }, "wait:window_closed"],
    ["its service left the configuration: dropped, unknown_service", queued({ service: "gone" }), {}, "drop:unknown_service"],
    ["its environment left the configuration: dropped, unknown_environment", queued({ env: "qa" }), {}, "drop:unknown_environment"],
    ["forced: it goes whatever holds it", queued({ forced: true }), { config: windowed, locks: [lock("login:carol")], promoted: false }, "go"],
  ])("%s", async (_case, head, facts, expected) => {
    const answer = await verdict(head, facts);
    expect(answer.kind === "go" ? "go" : `${answer.kind}:${answer.reasonCode}`).toBe(expected);
  });

  it("reads nothing for a forced deploy: it already passed", async () => {
    expect((await verdict(queued({ forced: true }))).reads).toBe(0);
  });

  it("says until when it waits, and why a drop happened, in words for the card", async () => {
    expect(await verdict(queued(), { config: windowed })).toMatchObject({ kind: "wait", reason: "waiting for a critical window to end until 12:00 EST", until: "2026-11-27T17:00:00.000Z" });
    expect(await verdict(queued(), { locks: [lock("login:carol")] })).toHaveProperty("reason", expect.stringMatching(/^dropped from the queue: donations\/prod is locked \(lock on donations\/all\) by login:carol/));
    expect(await verdict(queued({ service: "gone" }))).toHaveProperty("reason", "gone/prod is no longer in whistlestop.yml");
  });
});

