import { FakeTime } from "../../kit/fake-time.js";
import { ChangeSetBuilder, type ChangeSetRequest } from "../../../src/core/changes/change-set-builder.js";
import { ChangeSetRecorder } from "../../../src/core/changes/change-set-recorder.js";
import type { ChangeSet } from "../../../src/core/model/change-set.js";
import type { Deploy, NewDeploy } from "../../../src/core/model/deploy.js";
import { NotificationQueue } from "../../../src/core/orchestrator/notification-queue.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { DeployEventType } from "../../../src/core/ports/notifier.js";
import { RecordingNotifier, sha } from "../../fakes/fakes.js";
import { MemoryStore } from "../../fakes/memory-store.js";
import { testConfig } from "../harness.js";

/** Answers every request with a listed change set and records what it was asked. */
class RecordingBuilder implements Pick<ChangeSetBuilder, "between"> {
  readonly requests: ChangeSetRequest[] = [];
  async between(request: ChangeSetRequest): Promise<ChangeSet> {
    this.requests.push(request);
    return { status: "listed", direction: request.direction, headSha: request.sha, ...(request.liveSha ? { baseSha: request.liveSha } : {}), commitCount: 1, pulls: [], pullCount: 0, computedAt: "2026-12-03T10:00:00.000Z" };
  }
}

const deployOf = (fields: Partial<NewDeploy> & { id: string; sha: string }): NewDeploy => ({
  service: "donations",
  env: "staging",
  ref: "main",
  actor: "alice",
  surface: "api",
  automatic: false,
  forced: false,
  pipelineName: "donations-staging",
  requestedAt: "2026-12-03T09:00:00.000Z",
  ...fields,
});

describe("ChangeSetRecorder", () => {
  let store: MemoryStore;
  let builder: RecordingBuilder;
  let recorder: ChangeSetRecorder;
  let seen: RecordingNotifier;
  let queue: NotificationQueue;

  const succeeded = async (id: string, shaOf: string, finishedAt: string, fields: Partial<NewDeploy> = {}): Promise<Deploy> => {
    await store.insertDeploy(deployOf({ id, sha: shaOf, requestedAt: "2026-12-03T08:00:00.000Z", ...fields }));
    return (await store.updateDeploy(id, { state: "succeeded", finishedAt }))!;
  };
  const event = async (type: DeployEventType, id: string) => {
    await recorder.notify({ type, deploy: (await store.getDeploy(id))!, at: "2026-12-03T09:00:00.000Z" });
    await recorder.idle();
    await queue.idle();
  };

  beforeEach(() => {
    store = new MemoryStore();
    builder = new RecordingBuilder();
    seen = new RecordingNotifier();
    queue = new NotificationQueue(store, seen, new FakeTime().clock, silentLogger);
    recorder = new ChangeSetRecorder({ store, config: testConfig(), builder, refresh: (id) => queue.refresh(id), logger: silentLogger });
  });

  test("a deploy's first event records what it ships over the live release and shows the deploy again", async () => {
    await succeeded("d-old", sha("1"), "2026-12-03T07:00:00.000Z");
    await succeeded("d-live", sha("2"), "2026-12-03T08:30:00.000Z");
    await store.insertDeploy(deployOf({ id: "d-new", sha: sha("3") }));
    await event("queued", "d-new");
    expect(builder.requests).toEqual([{ repo: "hfa/donations", liveSha: sha("2"), sha: sha("3"), direction: "ships" }]);
    expect((await store.getDeploy("d-new"))?.changeSet).toMatchObject({ status: "listed", baseSha: sha("2") });
    expect(seen.events.map((e) => [e.type, e.deploy.id, e.deploy.changeSet?.status, e.note])).toEqual([["progress", "d-new", "listed", "position 1 in the queue"]]);
    // The refresh claims nothing was reported: the queued event itself still counts.
    expect((await store.getDeploy("d-new"))?.notifiedState).toBeUndefined();
  });

  test("each deploy is compared once, whatever events follow", async () => {
    await store.insertDeploy(deployOf({ id: "d-new", sha: sha("3") }));
    await event("queued", "d-new");
    await event("started", "d-new");
    await event("progress", "d-new");
    expect(builder.requests).toHaveLength(1);
  });

  test("a release that finished after the deploy was requested is not its base", async () => {
    await succeeded("d-live", sha("2"), "2026-12-03T08:30:00.000Z");
    await succeeded("d-later", sha("4"), "2026-12-03T09:30:00.000Z");
    await store.insertDeploy(deployOf({ id: "d-new", sha: sha("3") }));
    await event("queued", "d-new");
    expect(builder.requests[0]?.liveSha).toBe(sha("2"));
  });

  test("nothing live: a first deploy", async () => {
    await store.insertDeploy(deployOf({ id: "d-first", sha: sha("3"), env: "prod" }));
    await event("started", "d-first");
    expect(builder.requests).toEqual([{ repo: "hfa/donations", sha: sha("3"), direction: "ships" }]);
  });

  test("a rollback compares against the release it undoes and lists what it takes out", async () => {
    await succeeded("d-good", sha("1"), "2026-12-03T07:00:00.000Z");
    await succeeded("d-bad", sha("2"), "2026-12-03T08:00:00.000Z");
    await store.insertDeploy(deployOf({ id: "d-rollback", sha: sha("1"), rollbackOf: "d-bad" }));
    await event("started", "d-rollback");
    expect(builder.requests).toEqual([{ repo: "hfa/donations", liveSha: sha("2"), sha: sha("1"), direction: "takes_out" }]);
  });

  test("a store that fails is tried again when the deploy's events come again", async () => {
    await store.insertDeploy(deployOf({ id: "d-new", sha: sha("3") }));
    const deploy = (await store.getDeploy("d-new"))!;
    store.down = true;
    await recorder.notify({ type: "queued", deploy, at: "2026-12-03T09:00:00.000Z" });
    await recorder.idle();
    store.down = false;
    expect((await store.getDeploy("d-new"))?.changeSet).toBeUndefined();
    await event("queued", "d-new");
    expect((await store.getDeploy("d-new"))?.changeSet?.status).toBe("listed");
  });

  test("with the real builder and a source control that cannot compare, the change set says so", async () => {
    recorder = new ChangeSetRecorder({
      store,
      config: testConfig(),
      builder: new ChangeSetBuilder({ resolveRef: async () => undefined, defaultBranchHead: async () => undefined }, new FakeTime().clock),
      refresh: (id) => queue.refresh(id),
      logger: silentLogger,
    });
    await succeeded("d-live", sha("2"), "2026-12-03T08:30:00.000Z");
    await store.insertDeploy(deployOf({ id: "d-new", sha: sha("3") }));
    await event("queued", "d-new");
    expect((await store.getDeploy("d-new"))?.changeSet).toMatchObject({ status: "unavailable", baseSha: sha("2") });
  });
});
