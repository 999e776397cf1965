import type { Store } from "../../../src/core/ports/store.js";
import type { StoreHarness } from "../store-harness.js";
import { at, atDate, newDeploy, unique } from "../deploy-fixtures.js";

const EXTRA_STORES = 4;

/**
 * Races decided by the database, over separate Store instances (separate SQLite connections on
 * one file; separate PostgreSQL pools), so requests really overlap.
 */
export function concurrencyCases(harness: () => StoreHarness): void {
  let stores: Store[] = [];
  const pick = (i: number): Store => stores[i % stores.length]!;

  describe("concurrency", () => {
    beforeAll(async () => {
      stores = [harness().store];
      for (let i = 0; i < EXTRA_STORES; i++) stores.push(await harness().openAnother());
    });

    it("20 concurrent inserts that may start at once: exactly one starts, the rest queue in order", async () => {
      const service = unique("svc");
      const deploys = Array.from({ length: 20 }, () => newDeploy({ service }));
      const results = await Promise.all(
        deploys.map((deploy, i) => pick(i).insertDeploy(deploy, { startIfFree: { at: atDate(1), lease: { ownerId: `replica-${i}`, until: atDate(2) } } })),
      );
      const states = results.map((r) => (r.kind === "inserted" ? r.deploy.state : "duplicate"));
      expect(states.filter((s) => s === "running")).toHaveLength(1);
      expect(states.filter((s) => s === "queued")).toHaveLength(19);
      const running = await harness().store.getRunning(service, "staging");
      const queue = await harness().store.listQueue(service, "staging");
      expect(queue.every((d) => d.seq > running!.seq)).toBe(true);
    });

    it("50 concurrent requests for one target: exactly one runs, 49 wait in FIFO order", async () => {
      const service = unique("svc");
      const deploys = Array.from({ length: 50 }, () => newDeploy({ service }));
      const claims = await Promise.all(
        deploys.map(async (deploy, i) => {
          const result = await pick(i).insertDeploy(deploy);
          expect(result.kind).toBe("inserted");
          return pick(i + 1).claimSlot(deploy.id, atDate(1));
        }),
      );

      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = deploys[claims.indexOf(true)]!;
      expect(await harness().store.getRunning(service, "staging")).toMatchObject({ id: winner.id, state: "running" });
      expect(await harness().store.listDeploys({ service, states: ["running"] })).toHaveLength(1);

      const queue = await harness().store.listQueue(service, "staging");
      expect(queue).toHaveLength(49);
      expect(new Set(queue.map((d) => d.id))).toEqual(new Set(deploys.filter((d) => d.id !== winner.id).map((d) => d.id)));
      const seqs = queue.map((d) => d.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(49);
    });

    it("the same idempotency key 20 times at once inserts one deploy", async () => {
      const service = unique("svc");
      const key = unique("delivery");
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => pick(i).insertDeploy(newDeploy({ service }), { idempotencyKey: key })),
      );
      const inserted = results.filter((r) => r.kind === "inserted");
      expect(inserted).toHaveLength(1);
      const winnerId = inserted[0]!.kind === "inserted" ? inserted[0]!.deploy.id : "";
      for (const r of results.filter((x) => x.kind === "duplicate")) expect(r).toMatchObject({ existing: { id: winnerId } });
      expect(await harness().store.listDeploys({ service })).toHaveLength(1);
    });

    it("10 automatic deploys at once: only the newest stays queued, each older one superseded once", async () => {
      const service = unique("svc");
      const deploys = Array.from({ length: 10 }, () => newDeploy({ service, automatic: true }));
      const results = await Promise.all(
        deploys.map((d, i) => pick(i).insertDeploy(d, { supersedeAutomatic: { message: "superseded", at: atDate(1) } })),
      );
      const queue = await harness().store.listQueue(service, "staging");
      expect(queue).toHaveLength(1);
      const superseded = results.flatMap((r) => (r.kind === "inserted" ? r.superseded.map((d) => d.id) : []));
      expect(superseded.sort()).toEqual(deploys.map((d) => d.id).filter((id) => id !== queue[0]!.id).sort());
    });

    it("concurrent compare-and-set: one of 10 cancellations wins", async () => {
      const deploy = newDeploy({ service: unique("svc") });
      await harness().store.insertDeploy(deploy);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => pick(i).updateDeploy(deploy.id, { state: "cancelled", error: `by ${i}`, finishedAt: at(1) }, "queued")),
      );
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect(await harness().store.getDeploy(deploy.id)).toMatchObject({ state: "cancelled", error: winners[0]!.error });
    });

    it("a claim racing a cancellation: the deploy ends up either running with the slot or cancelled without it", async () => {
      const deploy = newDeploy({ service: unique("svc") });
      await harness().store.insertDeploy(deploy);
      const [claimed, cancelled] = await Promise.all([
        pick(1).claimSlot(deploy.id, atDate(1)),
        pick(2).updateDeploy(deploy.id, { state: "cancelled", finishedAt: at(1) }, "queued"),
      ]);
      expect(claimed !== (cancelled !== undefined)).toBe(true);
      const running = await harness().store.getRunning(deploy.service, deploy.env);
      expect(running?.id).toBe(claimed ? deploy.id : undefined);
    });

    it("10 owners taking the same lock at once: one wins, the others see it held", async () => {
      const service = unique("svc");
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          pick(i).takeLock({ service, env: "prod", owner: `user${i}`, ownerKey: `login:user${i}`, createdAt: at(0) }, atDate(0)),
        ),
      );
      const taken = results.filter((r) => r.kind === "taken");
      expect(taken).toHaveLength(1);
      for (const r of results.filter((x) => x.kind === "held")) expect(r.lock.ownerKey).toBe(taken[0]!.lock.ownerKey);
    });

    it("recordKey is true exactly once under concurrency", async () => {
      const key = unique("click");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pick(i).recordKey(key, atDate(0))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("two replicas claiming the same leases: each deploy gets one owner", async () => {
      const service = unique("svc");
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const deploy = newDeploy({ service });
        await harness().store.insertDeploy(deploy);
        ids.push(deploy.id);
      }
      const [a, b] = await Promise.all([
        pick(1).claimLeases("replica-a", ids, atDate(0), atDate(1)),
        pick(2).claimLeases("replica-b", ids, atDate(0), atDate(1)),
      ]);
      expect([...a, ...b].sort()).toEqual([...ids].sort());
      expect(a.filter((id) => b.includes(id))).toEqual([]);
    });
  });
}
