import type { StageRun } from "../../../src/core/model/stage-run.js";
import type { ReplicaClaim } from "../../../src/core/ports/operations-store.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, newDeploy, unique } from "../deploy-fixtures.js";

const LONG_AGO = new Date("2020-06-01T00:00:00.000Z");
const CUTOFF = new Date("2021-01-01T00:00:00.000Z");
const DAY = 24 * 3_600_000;

/** Pipeline-event lookups, replica ids, once-a-day duties and retention pruning. */
export function operationsCases(harness: () => StoreHarness): void {
  const store = () => harness().store;

  describe("findRunningByExecution", () => {
    it("finds the running deploy following an execution, and forgets it once it ends", async () => {
      const deploy = newDeploy({ service: unique("svc") });
      await store().insertDeploy(deploy);
      expect(await store().claimSlot(deploy.id, atDate(1))).toBe(true);
      const executionId = unique("exec");
      await store().updateDeploy(deploy.id, { executionId }, "running");
      expect((await store().findRunningByExecution(executionId)).map((d) => d.id)).toEqual([deploy.id]);
      expect(await store().findRunningByExecution(unique("other"))).toEqual([]);
      await store().updateDeploy(deploy.id, { state: "succeeded", finishedAt: at(2) }, "running");
      expect(await store().findRunningByExecution(executionId)).toEqual([]);
    });
  });

  describe("replica ids", () => {
    const claim = (id: string, instance: string, until = atDate(1)): ReplicaClaim => ({ id, instance, host: "web-1", pid: 4242, startedAt: at(0), heartbeatUntil: until.toISOString() });

    it("is taken once; a second process must name the instance it replaces", async () => {
      const id = unique("replica");
      expect(await store().claimReplica(claim(id, "first"), undefined)).toBe(true);
      expect(await store().claimReplica(claim(id, "second"), undefined)).toBe(false);
      expect(await store().getReplica(id)).toEqual(claim(id, "first"));
      expect(await store().claimReplica(claim(id, "second"), "someone-else")).toBe(false);
      expect(await store().claimReplica(claim(id, "second"), "first")).toBe(true);
      expect((await store().getReplica(id))?.instance).toBe("second");
    });

    it("is renewed and released only by the instance holding it", async () => {
      const id = unique("replica");
      await store().claimReplica(claim(id, "mine"), undefined);
      expect(await store().renewReplica(id, "mine", atDate(5))).toBe(true);
      expect(await store().renewReplica(id, "not-mine", atDate(9))).toBe(false);
      expect((await store().getReplica(id))?.heartbeatUntil).toBe(at(5));
      await store().releaseReplica(id, "not-mine");
      expect(await store().getReplica(id)).toBeDefined();
      await store().releaseReplica(id, "mine");
      expect(await store().getReplica(id)).toBeUndefined();
    });

    it("two processes replacing the same dead instance at once: exactly one gets the id", async () => {
      const id = unique("replica");
      await store().claimReplica(claim(id, "dead"), undefined);
      const other = await harness().openAnother();
      const results = await Promise.all([store().claimReplica(claim(id, "a"), "dead"), other.claimReplica(claim(id, "b"), "dead")]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("duties", () => {
    it("run once per period across replicas", async () => {
      const duty = unique("retention");
      const other = await harness().openAnother();
      const first = await Promise.all([store().claimDuty(duty, atDate(0), DAY), other.claimDuty(duty, atDate(0), DAY), store().claimDuty(duty, atDate(0), DAY)]);
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await other.claimDuty(duty, atDate(60), DAY)).toBe(false);
      const later = await Promise.all([store().claimDuty(duty, atDate(24 * 60), DAY), other.claimDuty(duty, atDate(24 * 60), DAY)]);
      expect(later.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("pruneHistory", () => {
    it("deletes audit rows, idempotency keys and finished requests older than the cutoff, and nothing newer", async () => {
      const deployId = unique("d");
      const entry = { actor: "alice", surface: "api" as const, action: "deploy", outcome: "started", deployId };
      await store().appendAudit({ ...entry, at: LONG_AGO.toISOString() });
      await store().appendAudit({ ...entry, at: at(0) });
      const oldKey = unique("delivery");
      const newKey = unique("delivery");
      await store().recordKey(oldKey, LONG_AGO);
      await store().recordKey(newKey, atDate(0));
      const request = { key: unique("slack"), kind: "slack.command", payload: "{}", receivedAt: LONG_AGO.toISOString() };
      await store().acceptRequests([request], "replica-a", atDate(1));
      await store().finishRequest(request.key, LONG_AGO, "done");

      const pruned = await store().pruneHistory(CUTOFF, 20);
      expect(pruned).toEqual({ audit: 1, keys: 1, requests: 1, stageRuns: 0 });
      expect((await store().listAudit({ deployId })).map((e) => e.at)).toEqual([at(0)]);
      expect(await store().recordKey(oldKey, atDate(1))).toBe(true);
      expect(await store().recordKey(newKey, atDate(1))).toBe(false);
      expect(await store().pruneHistory(CUTOFF, 20)).toEqual({ audit: 0, keys: 0, requests: 0, stageRuns: 0 });
    });

    it("deletes stage runs older than the cutoff, except each stage's newest `keep` in its (service, env): what the watchdog reads stays", async () => {
      const service = unique("web");
      const minute = 60_000;
      // A run that finished `day` days after LONG_AGO (or, negative, days before the suite's base) and took `minutes`.
      const run = (stage: string, day: number, minutes: number, extra: Partial<StageRun> = {}): StageRun => {
        const finished = day >= 0 ? new Date(LONG_AGO.getTime() + day * DAY) : atDate(day * 24 * 60);
        return { deployId: unique("d"), service, env: "prod", stage, startedAt: new Date(finished.getTime() - minutes * minute).toISOString(), finishedAt: finished.toISOString(), ...extra };
      };
      const tieAt = new Date(LONG_AGO.getTime() + 2 * DAY).toISOString();
      await store().recordStageRuns([
        // Deploy in prod: all old; the newest two stay, the tie at day 2 broken by the larger deploy id as the watchdog reads it.
        run("Deploy", 3, 4),
        { ...run("Deploy", 2, 5), deployId: `${service}-tie-b`, finishedAt: tieAt },
        { ...run("Deploy", 2, 6), deployId: `${service}-tie-a`, finishedAt: tieAt },
        run("Deploy", 1, 7),
        // Alone in their (service, env, stage): kept, however old.
        run("Bake", 0, 8),
        run("Deploy", 0, 9, { env: "staging" }),
        // Smoke: the two newest are recent, so its old runs go.
        run("Smoke", -2, 1),
        run("Smoke", -1, 2),
        run("Smoke", 1, 3),
        run("Smoke", 0, 4),
        // Verify: more than `keep`, but none older than the cutoff.
        run("Verify", -3, 1),
        run("Verify", -2, 2),
        run("Verify", -1, 3),
      ]);
      const read = (stage: string, env = "prod") => store().recentStageDurations(service, env, stage, 20);
      const watchdogReadsBefore = await store().recentStageDurations(service, "prod", "Deploy", 2);
      expect(watchdogReadsBefore).toEqual([4 * minute, 5 * minute]);

      expect(await store().pruneHistory(CUTOFF, 2)).toEqual({ audit: 0, keys: 0, requests: 0, stageRuns: 4 });
      expect(await read("Deploy")).toEqual(watchdogReadsBefore);
      expect(await read("Bake")).toEqual([8 * minute]);
      expect(await read("Deploy", "staging")).toEqual([9 * minute]);
      expect(await read("Smoke")).toEqual([2 * minute, 1 * minute]);
      expect(await read("Verify")).toEqual([3, 2, 1].map((m) => m * minute));
      expect((await store().pruneHistory(CUTOFF, 2)).stageRuns).toBe(0);
    });
  });
}
