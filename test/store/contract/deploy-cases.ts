import type { ChangeSet } from "../../../src/core/model/change-set.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, fullDeploy, newDeploy, unique } from "../deploy-fixtures.js";

/** Deploy records, the queue and the running slot, one caller at a time. */
export function deployCases(harness: () => StoreHarness): void {
  const store = () => harness().store;

  describe("deploys", () => {
    it("round-trips a deploy with every field, assigning seq and state", async () => {
      const input = fullDeploy(unique("svc"));
      const result = await store().insertDeploy(input);
      if (result.kind !== "inserted") throw new Error("expected an insert");
      await store().markNotified(input.id, "queued");

      const expected = { ...input, state: "queued", seq: result.deploy.seq, notifiedState: "queued" };
      expect(await store().getDeploy(input.id)).toStrictEqual(expected);
      expect(result.deploy).toStrictEqual({ ...input, state: "queued", seq: result.deploy.seq });
      expect(Number.isInteger(result.deploy.seq)).toBe(true);
    });

    it("returns optional fields as absent, never null", async () => {
      const input = newDeploy({ service: unique("svc") });
      await store().insertDeploy(input);
      const stored = await store().getDeploy(input.id);
      expect(Object.keys(stored ?? {}).sort()).toEqual(
        ["actor", "automatic", "env", "forced", "id", "pipelineName", "ref", "requestedAt", "seq", "service", "sha", "stages", "state", "surface"].sort(),
      );
      expect(stored).toMatchObject({ automatic: false, forced: false, stages: [] });
    });

    it("returns undefined for an unknown id", async () => {
      expect(await store().getDeploy(unique("missing"))).toBeUndefined();
    });

    it("keeps FIFO order across connections", async () => {
      const other = await harness().openAnother();
      const service = unique("svc");
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const deploy = newDeploy({ service });
        await (i % 2 === 0 ? store() : other).insertDeploy(deploy);
        ids.push(deploy.id);
      }
      const queue = await other.listQueue(service, "staging");
      expect(queue.map((d) => d.id)).toEqual(ids);
      expect(await store().listQueuedTargets()).toContainEqual({ service, env: "staging" });
    });

    it("lists deploys newest first, filtered by target and state, limited", async () => {
      const service = unique("svc");
      const ids: string[] = [];
      for (const env of ["staging", "staging", "prod", "staging"]) {
        const deploy = newDeploy({ service, env });
        await store().insertDeploy(deploy);
        ids.push(deploy.id);
      }
      await store().updateDeploy(ids[1]!, { state: "failed", finishedAt: at(1) });
      const staging = await store().listDeploys({ service, env: "staging" });
      expect(staging.map((d) => d.id)).toEqual([ids[3], ids[1], ids[0]]);
      expect((await store().listDeploys({ service, states: ["queued"], limit: 2 })).map((d) => d.id)).toEqual([ids[3], ids[2]]);
      expect(await store().listDeploys({ service, states: [] })).toEqual([]);
    });

    it("lists deploys by who asked (name or login, any case), by when they were asked for, a page at a time", async () => {
      const service = unique("svc");
      const made = [
        newDeploy({ service, actor: "Alice", actorLogin: "alice", requestedAt: at(0) }),
        newDeploy({ service, actor: "U0SLACKBOB", actorLogin: "bob", requestedAt: at(10) }),
        newDeploy({ service, actor: "api:ci", requestedAt: at(20) }),
        newDeploy({ service, actor: "alice", requestedAt: at(30) }),
      ];
      for (const deploy of made) await store().insertDeploy(deploy);
      const ids = (filter: Parameters<ReturnType<typeof store>["listDeploys"]>[0]) => store().listDeploys({ service, ...filter }).then((list) => list.map((d) => d.id));
      expect(await ids({ actor: "ALICE" })).toEqual([made[3]!.id, made[0]!.id]);
      expect(await ids({ actor: "bob" })).toEqual([made[1]!.id]);
      expect(await ids({ actor: "api:ci" })).toEqual([made[2]!.id]);
      expect(await ids({ requestedFrom: at(10), requestedBefore: at(30) })).toEqual([made[2]!.id, made[1]!.id]);
      const firstPage = await store().listDeploys({ service, limit: 2 });
      expect(firstPage.map((d) => d.id)).toEqual([made[3]!.id, made[2]!.id]);
      expect(await ids({ limit: 2, beforeSeq: firstPage[1]!.seq })).toEqual([made[1]!.id, made[0]!.id]);
    });

    it("claims the running slot once; finishing the holder frees it for the next", async () => {
      const service = unique("svc");
      const first = newDeploy({ service });
      const second = newDeploy({ service });
      await store().insertDeploy(first);
      await store().insertDeploy(second);

      expect(await store().claimSlot(first.id, atDate(1))).toBe(true);
      expect(await store().claimSlot(second.id, atDate(1))).toBe(false);
      expect(await store().claimSlot(first.id, atDate(1))).toBe(false);
      expect(await store().claimSlot(unique("missing"), atDate(1))).toBe(false);
      expect(await store().getRunning(service, "staging")).toMatchObject({ id: first.id, state: "running", startedAt: at(1) });
      expect((await store().listRunning()).map((d) => d.id)).toContain(first.id);

      const done = await store().updateDeploy(first.id, { state: "succeeded", finishedAt: at(2) }, "running");
      expect(done).toMatchObject({ id: first.id, state: "succeeded", finishedAt: at(2) });
      expect(await store().getRunning(service, "staging")).toBeUndefined();
      expect(await store().claimSlot(second.id, atDate(3))).toBe(true);
      expect(await store().getRunning(service, "staging")).toMatchObject({ id: second.id });
    });

    it("leases the deploy to a replica in the same write as the slot, when asked", async () => {
      const service = unique("svc");
      const deploy = newDeploy({ service });
      await store().insertDeploy(deploy);
      expect(await store().claimSlot(deploy.id, atDate(1), { ownerId: "replica-a", until: atDate(2) })).toBe(true);
      expect(await store().getDeploy(deploy.id)).toMatchObject({ state: "running", ownerId: "replica-a", leaseExpiresAt: at(2) });
      // Held: another replica's claim before the end is refused, after it succeeds.
      expect(await store().claimLeases("replica-b", [deploy.id], atDate(1), atDate(5))).toEqual([]);
      expect(await store().claimLeases("replica-b", [deploy.id], atDate(2), atDate(5))).toEqual([deploy.id]);
    });

    it("does not claim a slot for a deploy that is no longer queued", async () => {
      const deploy = newDeploy({ service: unique("svc") });
      await store().insertDeploy(deploy);
      await store().updateDeploy(deploy.id, { state: "cancelled", finishedAt: at(1) }, "queued");
      expect(await store().claimSlot(deploy.id, atDate(2))).toBe(false);
      expect(await store().getRunning(deploy.service, deploy.env)).toBeUndefined();
    });

    it("finishing a queued deploy leaves another deploy's slot alone", async () => {
      const service = unique("svc");
      const running = newDeploy({ service });
      const queued = newDeploy({ service });
      await store().insertDeploy(running);
      await store().insertDeploy(queued);
      await store().claimSlot(running.id, atDate(1));
      await store().updateDeploy(queued.id, { state: "cancelled", finishedAt: at(2) }, "queued");
      expect(await store().getRunning(service, "staging")).toMatchObject({ id: running.id });
    });

    it("reports a deploy marked running without a slot as running (fails closed)", async () => {
      const deploy = newDeploy({ service: unique("svc") });
      await store().insertDeploy(deploy);
      await store().updateDeploy(deploy.id, { state: "running", startedAt: at(1) });
      expect(await store().getRunning(deploy.service, deploy.env)).toMatchObject({ id: deploy.id });
    });

    it("updates by compare-and-set and refuses when the state moved on", async () => {
      const deploy = newDeploy({ service: unique("svc"), waitingReason: "window open" });
      await store().insertDeploy(deploy);

      expect(await store().updateDeploy(deploy.id, { error: "nope" }, "running")).toBeUndefined();
      expect(await store().updateDeploy(unique("missing"), { error: "nope" })).toBeUndefined();
      expect((await store().getDeploy(deploy.id))?.error).toBeUndefined();

      const updated = await store().updateDeploy(deploy.id, { executionId: "exec-9", waitingReason: undefined }, "queued");
      expect(updated).toMatchObject({ executionId: "exec-9", state: "queued" });
      expect(updated).not.toHaveProperty("waitingReason");
      expect(await store().updateDeploy(deploy.id, {}, "queued")).toMatchObject({ id: deploy.id });
      expect(await store().updateDeploy(deploy.id, {}, "failed")).toBeUndefined();
    });

    it("records a deploy's change set, returns it on every read, and clears it", async () => {
      const changeSet: ChangeSet = {
        status: "listed",
        direction: "ships",
        baseSha: "b".repeat(40),
        headSha: "c".repeat(40),
        commitCount: 3,
        pulls: [{ number: 12, title: "Retry on 503 — \"quoted\" ✓ 🚀", author: "alice" }, { number: 11, title: "No author" }],
        pullCount: 2,
        compareUrl: "https://github.com/hfa/donations/compare/bbb...ccc",
        computedAt: at(1),
      };
      const deploy = newDeploy({ service: unique("svc") });
      await store().insertDeploy(deploy);
      expect(await store().getDeploy(deploy.id)).not.toHaveProperty("changeSet");
      expect(await store().updateDeploy(deploy.id, { changeSet })).toMatchObject({ changeSet });
      expect((await store().getDeploy(deploy.id))?.changeSet).toStrictEqual(changeSet);
      expect((await store().listQueue(deploy.service, deploy.env))[0]?.changeSet).toStrictEqual(changeSet);
      const withSet = newDeploy({ service: unique("svc"), changeSet });
      await store().insertDeploy(withSet);
      expect((await store().getDeploy(withSet.id))?.changeSet).toStrictEqual(changeSet);
      await store().updateDeploy(deploy.id, { changeSet: undefined });
      expect(await store().getDeploy(deploy.id)).not.toHaveProperty("changeSet");
    });

    it("supersedes older automatic deploys still queued for the same target, atomically", async () => {
      const service = unique("svc");
      const running = newDeploy({ service, automatic: true });
      const olderAuto = [newDeploy({ service, automatic: true }), newDeploy({ service, automatic: true })];
      const manual = newDeploy({ service });
      const otherEnv = newDeploy({ service, env: "prod", automatic: true });
      for (const d of [running, ...olderAuto, manual, otherEnv]) await store().insertDeploy(d);
      await store().claimSlot(running.id, atDate(1));

      const newest = newDeploy({ service, automatic: true });
      const result = await store().insertDeploy(newest, { supersedeAutomatic: { message: "superseded by newer merge", at: atDate(5) } });
      if (result.kind !== "inserted") throw new Error("expected an insert");

      expect(result.superseded.map((d) => d.id)).toEqual(olderAuto.map((d) => d.id));
      for (const d of result.superseded) expect(d).toMatchObject({ state: "cancelled", error: "superseded by newer merge", reasonCode: "superseded", finishedAt: at(5) });
      expect((await store().listQueue(service, "staging")).map((d) => d.id)).toEqual([manual.id, newest.id]);
      expect(await store().getDeploy(running.id)).toMatchObject({ state: "running" });
      expect(await store().getDeploy(otherEnv.id)).toMatchObject({ state: "queued" });
    });

    it("starts a deploy in the insert's own write when the target is free and nothing is queued ahead", async () => {
      const service = unique("svc");
      const lease = { ownerId: "replica-a", until: atDate(2) };
      const first = newDeploy({ service });
      const started = await store().insertDeploy(first, { startIfFree: { at: atDate(1), lease } });
      expect(started).toMatchObject({ kind: "inserted", deploy: { id: first.id, state: "running", startedAt: at(1), ownerId: "replica-a", leaseExpiresAt: at(2) } });
      expect(await store().getRunning(service, "staging")).toMatchObject({ id: first.id });

      // The slot is held: the next one queues, exactly as without the option.
      const second = newDeploy({ service });
      expect(await store().insertDeploy(second, { startIfFree: { at: atDate(2), lease } })).toMatchObject({ kind: "inserted", deploy: { state: "queued" } });
      await store().updateDeploy(first.id, { state: "succeeded", finishedAt: at(3) }, "running");
      // The slot is free but `second` waits ahead (a window, say): FIFO, so the newcomer queues too.
      const third = newDeploy({ service });
      expect(await store().insertDeploy(third, { startIfFree: { at: atDate(4), lease } })).toMatchObject({ kind: "inserted", deploy: { state: "queued" } });
      expect((await store().listQueue(service, "staging")).map((d) => d.id)).toEqual([second.id, third.id]);
      expect(await store().getRunning(service, "staging")).toBeUndefined();
    });

    it("a retried insert with the same key starts nothing a second time", async () => {
      const service = unique("svc");
      const deploy = newDeploy({ service });
      const options = { idempotencyKey: unique("key"), startIfFree: { at: atDate(1), lease: { ownerId: "replica-a", until: atDate(2) } } };
      expect(await store().insertDeploy(deploy, options)).toMatchObject({ kind: "inserted", deploy: { state: "running" } });
      expect(await store().insertDeploy({ ...deploy, id: unique("d") }, options)).toMatchObject({ kind: "duplicate", existing: { id: deploy.id, state: "running" } });
      expect(await store().listDeploys({ service })).toHaveLength(1);
    });

    it("finds succeeded deploys, newest finish first", async () => {
      const service = unique("svc");
      const finishes = [at(30), at(10), at(20)];
      const ids: string[] = [];
      for (const [i, finishedAt] of finishes.entries()) {
        const deploy = newDeploy({ service, sha: `sha-${i}` });
        await store().insertDeploy(deploy);
        await store().updateDeploy(deploy.id, { state: "succeeded", finishedAt });
        ids.push(deploy.id);
      }
      const failed = newDeploy({ service, sha: "sha-failed" });
      await store().insertDeploy(failed);
      await store().updateDeploy(failed.id, { state: "failed", finishedAt: at(40) });

      expect((await store().listSucceeded(service, "staging", 2)).map((d) => d.id)).toEqual([ids[0], ids[2]]);
      expect(await store().hasSucceeded(service, "staging", "sha-1")).toBe(true);
      expect(await store().hasSucceeded(service, "prod", "sha-1")).toBe(false);
      expect(await store().hasSucceeded(service, "staging", "sha-failed")).toBe(false);
    });
  });
}
