import type { Deploy, StageStatus } from "../../src/core/model/deploy.js";
import type { DeployEvent } from "../../src/core/ports/notifier.js";
import type { PipelineEvent } from "../../src/emulator/event-publisher.js";
import { waitFor } from "../kit/wait-for.js";
import { startTestApp, type TestApp } from "../kit/test-app.js";

const EVENTS_TOKEN = "pipeline-events-token-0123456789";
/** Polls an hour apart: within a test only events move a deploy. */
const POLLING_OFF_MS = 3_600_000;

const RANK: Record<StageStatus, number> = { waiting: 0, running: 1, skipped: 2, succeeded: 3, failed: 3, cancelled: 3 };

function post(t: TestApp, body: string, headers: Record<string, string> = { "x-whistlestop-token": EVENTS_TOKEN }) {
  return fetch(`${t.url}/api/pipeline-events`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}
const postEvent = (t: TestApp, event: PipelineEvent) => post(t, JSON.stringify(event));

/**
 * A poke schedules a 0 ms timer; one set now fires after it (Node runs due timers in the order
 * they were set), so by then any reconcile an event caused has started, and settled() awaits it.
 */
async function pokesSettled(t: TestApp): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await t.app.tracker.settled();
}

const getExecutionCalls = (t: TestApp) => t.emulator.emulator.stats().calls.GetPipelineExecution ?? 0;
const succeededStages = (deploy: Deploy | undefined) => deploy?.stages.filter((s) => s.status === "succeeded").length ?? 0;

describe("POST /api/pipeline-events with polling effectively off", () => {
  let t: TestApp;
  let notified: DeployEvent[];
  beforeEach(async () => {
    notified = [];
    t = await startTestApp({
      pipelineEventsToken: EVENTS_TOKEN,
      pollMs: POLLING_OFF_MS,
      surfaces: [() => ({ name: "spy", notifier: { notify: async (event) => void notified.push(event) } })],
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const startDeploy = async () => {
    const result = await t.command("deploy donations staging");
    expect(result.outcome).toBe("started");
    const deploy = (await t.store.getDeploy(result.deploy!.id))!;
    return { id: deploy.id, executionId: deploy.executionId! };
  };
  const execution = (executionId: string) => t.emulator.emulator.executions("donations-staging").find((e) => e.id === executionId)!;

  test("a missing or wrong X-Whistlestop-Token gets 401 and triggers nothing; the right one reconciles at once", async () => {
    const events: PipelineEvent[] = [];
    t.emulator.emulator.onEvent((event) => events.push(event));
    const { id, executionId } = await startDeploy();
    t.emulator.emulator.runUntilIdle();
    const finished = events.at(-1)!;
    expect(finished.detail).toMatchObject({ "execution-id": executionId, state: "SUCCEEDED" });
    const calls = getExecutionCalls(t);

    const badHeaders: Array<Record<string, string>> = [{}, { "x-whistlestop-token": "wrong" }, { "x-whistlestop-token": EVENTS_TOKEN.replace(/.$/, "x") }];
    for (const headers of badHeaders) {
      const response = await post(t, JSON.stringify(finished), headers);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/X-Whistlestop-Token/);
    }
    await pokesSettled(t);
    expect(getExecutionCalls(t)).toBe(calls);
    expect((await t.store.getDeploy(id))?.state).toBe("running");

    const accepted = await postEvent(t, finished);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ accepted: true });
    await waitFor("the deploy to succeed", async () => ((await t.store.getDeploy(id))?.state === "succeeded" ? true : undefined));
  });

  test("bad input gets a clear 4xx and changes nothing: malformed JSON, other AWS events, not JSON, too large", async () => {
    const { id } = await startDeploy();
    const before = await t.store.getDeploy(id);
    const calls = getExecutionCalls(t);
    const ec2Event = { source: "aws.ec2", "detail-type": "EC2 Instance State-change Notification", detail: { "instance-id": "i-0abc", state: "running" } };
    const cases: Array<[number, Promise<Response>]> = [
      [400, post(t, "{not json")],
      [400, post(t, JSON.stringify(ec2Event))],
      [400, post(t, JSON.stringify({ source: "aws.codepipeline", "detail-type": "CodePipeline Pipeline Execution State Change", detail: { pipeline: "donations-staging" } }))],
      [415, post(t, "state=SUCCEEDED", { "x-whistlestop-token": EVENTS_TOKEN, "content-type": "application/x-www-form-urlencoded" })],
      [413, post(t, JSON.stringify({ source: "aws.codepipeline", padding: "x".repeat(200_000) }))],
    ];
    for (const [status, pending] of cases) {
      const response = await pending;
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error.length).toBeGreaterThan(10);
    }
    await pokesSettled(t);
    expect(getExecutionCalls(t)).toBe(calls);
    expect(await t.store.getDeploy(id)).toEqual(before);
  });

  test("events the emulator posts drive a deploy through every stage to success", async () => {
    t.emulator.emulator.setEventTarget({ url: `${t.url}/api/pipeline-events`, token: EVENTS_TOKEN });
    const { id, executionId } = await startDeploy();
    while (t.emulator.emulator.tick()) {
      await t.emulator.emulator.flushEvents();
      const expected = execution(executionId).stages.filter((s) => s.status === "Succeeded").length;
      await waitFor(`${expected} stages to be seen as succeeded`, async () => (succeededStages(await t.store.getDeploy(id)) === expected ? true : undefined));
    }
    const done = await waitFor("the deploy to succeed", async () => {
      const deploy = await t.store.getDeploy(id);
      return deploy?.state === "succeeded" ? deploy : undefined;
    });
    expect(done.artifact).toMatch(/^ami-/);
    expect(t.emulator.emulator.stats().eventsFailed).toBe(0);
    await t.app.notifications.idle();
    const types = notified.filter((e) => e.deploy.id === id).map((e) => e.type);
    expect(types[0]).toBe("started");
    expect(types.slice(1, -1).every((type) => type === "progress")).toBe(true);
    expect(types.at(-1)).toBe("succeeded");
  });

  test("duplicate, late and out-of-order events never move a deploy backwards, and after the end change nothing", async () => {
    const events: PipelineEvent[] = [];
    t.emulator.emulator.onEvent((event) => events.push(event));
    const { id } = await startDeploy();
    const started = events.find((e) => e.detail.state === "STARTED")!;

    // Each step's events arrive newest first, with a stale STARTED repeated after them.
    let delivered = 0;
    while (t.emulator.emulator.tick()) {
      const batch = events.slice(delivered).reverse();
      delivered = events.length;
      for (const event of [...batch, started, batch[0]!]) expect((await postEvent(t, event)).status).toBe(200);
      await t.app.tracker.settled();
    }
    await waitFor("the deploy to succeed", async () => ((await t.store.getDeploy(id))?.state === "succeeded" ? true : undefined));
    // Reports follow the store (a busy process holds them back a little); once they are out, the deploy is final.
    await t.app.notifications.idle();
    const done = (await t.store.getDeploy(id))!;

    // What surfaces were told only ever moved forward.
    const mine = notified.filter((e) => e.deploy.id === id);
    for (let i = 1; i < mine.length; i++) {
      for (const stage of mine[i]!.deploy.stages) {
        const earlier = mine[i - 1]!.deploy.stages.find((s) => s.name === stage.name);
        if (earlier) expect(RANK[stage.status]).toBeGreaterThanOrEqual(RANK[earlier.status]);
      }
    }
    expect(mine.map((e) => e.type).filter((type) => type !== "progress")).toEqual(["started", "succeeded"]);

    // Every event again, and a STARTED from long ago: the deploy is over, so nothing follows them.
    const notifiedBefore = notified.length;
    const calls = getExecutionCalls(t);
    for (const event of [...events, { ...started, time: "2020-01-01T00:00:00Z" }]) {
      const response = await postEvent(t, event);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: false, reason: "no running deploy follows this execution" });
    }
    await pokesSettled(t);
    await t.app.notifications.idle();
    expect(await t.store.getDeploy(id)).toEqual(done);
    expect(notified).toHaveLength(notifiedBefore);
    expect(getExecutionCalls(t)).toBe(calls);
  });
});

describe("without PIPELINE_EVENTS_TOKEN", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test("the endpoint does not exist", async () => {
    const response = await post(t, JSON.stringify({ source: "aws.codepipeline" }));
    expect(response.status).toBe(404);
  });

  test("polling alone drives a deploy to its end", async () => {
    const { deploy } = await t.command("deploy donations staging");
    expect((await t.runDeploy(deploy!.id)).state).toBe("succeeded");
    expect(t.emulator.emulator.stats().eventsDelivered).toBe(0);
  });
});
