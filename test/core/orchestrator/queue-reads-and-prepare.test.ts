// Busy-path reads: the queue is not read whole, and the pipeline is told early.
import type { Store } from "../../../src/core/ports/store.js";
import { sha } from "../../fakes/fakes.js";
import { coreHarness, githubActor } from "../harness.js";

/** Records which queue reads the core makes on a store. */
function recordQueueReads(store: Store): string[] {
  const used: string[] = [];
  const listQueue = store.listQueue.bind(store);
  const countQueue = store.countQueue.bind(store);
  const queuePosition = store.queuePosition.bind(store);
  store.listQueue = async (service, env, limit) => {
    used.push(limit === undefined ? "listQueue" : `listQueue(${limit})`);
    return listQueue(service, env, limit);
  };
  store.countQueue = async (service, env) => {
    used.push("countQueue");
    return countQueue(service, env);
  };
  store.queuePosition = async (id) => {
    used.push("queuePosition");
    return queuePosition(id);
  };
  return used;
}

describe("queue reads", () => {
  test("a queued deploy learns its place without the whole queue being read", async () => {
    const h = coreHarness();
    const used = recordQueueReads(h.store);
    await h.deploy("donations", "staging");
    await h.deploy("donations", "staging", { ref: sha("c") }, { actor: githubActor("bob") });
    const third = await h.deploy("donations", "staging", { ref: sha("d") }, { actor: githubActor("carol") });

    expect(third).toMatchObject({ outcome: "queued", deploy: { queuePosition: 2 } });
    expect(third.message).toContain("queued at position 2");
    // The policies need no queue length: the decision reads no queue at all.
    expect(used).not.toContain("countQueue");
    expect(used).toContain("queuePosition");
    expect(used.filter((read) => read === "listQueue")).toEqual([]);
    expect(await h.service.getDeploy(third.deploy!.id)).toMatchObject({ queuePosition: 2 });
    expect(await h.store.queuePosition("d-unknown")).toBe(0);
  });
});

describe("pipeline.prepare", () => {
  test("is told about the pipeline while the deploy is decided, before it starts", async () => {
    const h = coreHarness();
    const order: string[] = [];
    const start = h.pipeline.start.bind(h.pipeline);
    h.pipeline.prepare = async (name) => void order.push(`prepare ${name}`);
    h.pipeline.start = async (request) => {
      order.push(`start ${request.pipelineName}`);
      return start(request);
    };
    await h.deploy("donations", "staging");

    expect(order).toEqual(["prepare donations-staging", "start donations-staging"]);
  });

  test("is not told for a rollback-stage, which never starts the pipeline", async () => {
    const h = coreHarness();
    for (const digit of ["b", "c"]) {
      const result = await h.deploy("donations", "staging", { ref: sha(digit) });
      h.pipeline.finish((await h.store.getDeploy(result.deploy!.id))!.executionId!, "Succeeded");
      await h.time.advance(60_000);
      await h.pollAll();
    }
    expect(h.pipeline.prepared).toEqual(["donations-staging", "donations-staging"]);
    const result = await h.run({ verb: "rollback", service: "donations", env: "staging", force: false, yes: false });

    expect(result.outcome).toBe("started");
    expect(h.pipeline.prepared).toHaveLength(2);
  });
});
