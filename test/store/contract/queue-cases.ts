import type { StoreHarness } from "../store-harness.js";
import { at, newDeploy, unique } from "../deploy-fixtures.js";

/**
 * The queue reads that avoid loading a whole queue: its head, its length and one deploy's place.
 * Each must agree with listQueue, which they replace on busy paths.
 */
export function queueCases(harness: () => StoreHarness): void {
  const store = () => harness().store;

  describe("queue reads", () => {
    async function queueOf(service: string, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const deploy = newDeploy({ service });
        await store().insertDeploy(deploy);
        ids.push(deploy.id);
      }
      // Other targets and states must not count.
      await store().insertDeploy(newDeploy({ service, env: "prod" }));
      await store().insertDeploy(newDeploy({ service: unique("other") }));
      return ids;
    }

    it("lists only the head when asked for a limit", async () => {
      const service = unique("svc");
      const ids = await queueOf(service, 4);
      expect((await store().listQueue(service, "staging", 1)).map((d) => d.id)).toEqual([ids[0]]);
      expect((await store().listQueue(service, "staging", 2)).map((d) => d.id)).toEqual(ids.slice(0, 2));
    });

    it("counts the queued deploys of one target", async () => {
      const service = unique("svc");
      const ids = await queueOf(service, 5);
      await store().updateDeploy(ids[1]!, { state: "cancelled", finishedAt: at(1) });
      expect(await store().countQueue!(service, "staging")).toBe(4);
      expect(await store().countQueue!(unique("empty"), "staging")).toBe(0);
    });

    it("gives a queued deploy's place in its queue, and 0 once it left the queue", async () => {
      const service = unique("svc");
      const ids = await queueOf(service, 4);
      await store().updateDeploy(ids[0]!, { state: "cancelled", finishedAt: at(1) });
      const queue = (await store().listQueue(service, "staging")).map((d) => d.id);
      for (const id of ids) expect(await store().queuePosition!(id)).toBe(queue.indexOf(id) + 1);
      expect(await store().queuePosition!(ids[0]!)).toBe(0);
      expect(await store().queuePosition!(ids[2]!)).toBe(2);
      expect(await store().queuePosition!(unique("missing"))).toBe(0);
    });
  });
}
