import { leaseHandBack } from "../../../src/app/lifecycle/lease-hand-back.js";
import { pipelineWarmUp } from "../../../src/app/lifecycle/pipeline-warm-up.js";
import { testConfig } from "../../core/harness.js";
import { FakePipeline } from "../../fakes/fake-pipeline.js";
import { MemoryStore } from "../../fakes/memory-store.js";
import { newDeploy } from "../../store/deploy-fixtures.js";
import { RecordingLogger } from "../../kit/recording-logger.js";

const NOW = new Date("2030-03-01T12:00:00.000Z");
const LATER = new Date(NOW.getTime() + 60_000);

describe("lease hand-back at a graceful stop", () => {
  async function storeWith(owners: Array<[id: string, owner: string]>): Promise<MemoryStore> {
    const store = new MemoryStore();
    for (const [id, owner] of owners) {
      await store.insertDeploy(newDeploy({ id, service: id }));
      expect(await store.claimSlot(id, NOW, { ownerId: owner, until: LATER })).toBe(true);
    }
    return store;
  }

  test("ends this replica's leases now, so another replica can take them at once; leaves others' alone", async () => {
    const store = await storeWith([
      ["mine", "replica-a"],
      ["theirs", "replica-b"],
    ]);
    await leaseHandBack({ store, replicaId: "replica-a", now: () => NOW, logger: new RecordingLogger() }).handBack();

    expect(await store.getDeploy("mine")).toMatchObject({ ownerId: "replica-a", leaseExpiresAt: NOW.toISOString() });
    expect(await store.getDeploy("theirs")).toMatchObject({ ownerId: "replica-b", leaseExpiresAt: LATER.toISOString() });
    expect(await store.claimLeases("replica-c", ["mine", "theirs"], NOW, LATER)).toEqual(["mine"]);
  });

  test("a store that cannot be reached is logged and the stop goes on (the leases lapse by themselves)", async () => {
    const store = await storeWith([["mine", "replica-a"]]);
    store.down = true;
    const logger = new RecordingLogger();
    await expect(leaseHandBack({ store, replicaId: "replica-a", now: () => NOW, logger }).handBack()).resolves.toBeUndefined();
    expect(logger.messages("warn")).toEqual(["could not hand back deploy leases; another replica takes them over when they expire"]);
  });
});

describe("pipeline warm-up at start", () => {
  test("reads each configured pipeline once, one at a time", async () => {
    const pipeline = new FakePipeline();
    await pipelineWarmUp(testConfig(), pipeline)(() => false);
    // Two services in two environments, named {service}-{env}.
    expect(pipeline.prepared).toEqual(["donations-staging", "donations-prod", "events-staging", "events-prod"]);
  });

  test("stops between pipelines once the replica is stopping", async () => {
    const pipeline = new FakePipeline();
    await pipelineWarmUp(testConfig(), pipeline)(() => pipeline.prepared.length >= 2);
    expect(pipeline.prepared).toEqual(["donations-staging", "donations-prod"]);
  });
});
