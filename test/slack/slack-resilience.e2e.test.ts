import { openStore } from "../../src/adapters/store/open-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { loadTestConfig } from "../kit/test-app.js";
import { blocksText, FakeSlackApi } from "./fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "./slack-test-app.js";

const CHANNEL = "C0OPS";

describe("Slack rate limits, outages and restarts", () => {
  let t: SlackTestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  test("Slack answering 429 + Retry-After: the wait is honoured and the card still reaches its final state", async () => {
    t = await startSlackTestApp();
    const app = t;
    app.slack.fail("chat.postMessage", 1, { status: 429, retryAfter: 1 });
    app.slack.fail("chat.update", 3, { status: 429, retryAfter: 2 });
    await app.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
    const card = await app.slack.waitFor("chat.postMessage", (c) => !c.args.thread_ts);
    const [deploy] = await app.store.listDeploys({});
    await app.runDeploy(deploy!.id);
    await app.slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("✅ Succeeded"));

    const limited = app.slack.calls.filter((c) => c.status === 429);
    expect(limited.map((c) => c.method)).toEqual(["chat.postMessage", "chat.update", "chat.update", "chat.update"]);
    // The client waited exactly as long as Slack said, each time, before calling again.
    expect(app.sleeps).toEqual([1000, 2000, 2000, 2000]);
    for (const [i, call] of limited.entries()) {
      const retry = app.slack.calls.find((c) => c.method === call.method && c.at >= call.at && c !== call && app.slack.calls.indexOf(c) > app.slack.calls.indexOf(call));
      expect(retry).toBeDefined();
      expect(retry!.at).toBeGreaterThanOrEqual(app.sleepEnds[i]!);
    }
    // One card, only edited: the 429 on the first post did not make a second card.
    expect(app.slack.of("chat.postMessage", (c) => !c.args.thread_ts)).toHaveLength(1);
    const updates = app.slack.of("chat.update");
    expect(blocksText(updates.at(-1)!.args)).toContain("✅ Succeeded");
  });

  test("Slack down when the deploy ends: the final state is delivered later, with no reply posted twice", async () => {
    t = await startSlackTestApp();
    const app = t;
    await app.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
    const card = await app.slack.waitFor("chat.postMessage", (c) => !c.args.thread_ts);
    await app.slack.waitFor("chat.postMessage", (c) => c.args.thread_ts === card.response.ts && String(c.args.text).startsWith("🚀"));
    const [deploy] = await app.store.listDeploys({});
    app.slack.fail("chat.update", 1000, { status: 503 });
    app.slack.fail("chat.postMessage", 1000, { status: 503 });
    await app.runDeploy(deploy!.id);
    await app.app.notifications.idle();
    expect((await app.store.getDeploy(deploy!.id))!.notifiedState).not.toBe("succeeded");

    app.slack.clearFailures();
    await app.app.sweep();
    await app.app.notifications.idle();
    expect((await app.store.getDeploy(deploy!.id))!.notifiedState).toBe("succeeded");
    const ok = app.slack.of("chat.update", (c) => c.args.ts === card.response.ts);
    expect(blocksText(ok.at(-1)!.args)).toContain("✅ Succeeded");
    const thread = app.slack.of("chat.postMessage", (c) => c.args.thread_ts === card.response.ts).map((c) => String(c.args.text));
    expect(thread.filter((r) => r.startsWith("🚀"))).toHaveLength(1);
    expect(thread.filter((r) => r.includes("is live in staging"))).toHaveLength(1);

    // A second re-send (another sweep, another replica) edits the card again but posts nothing new.
    await app.app.notifications.catchUp();
    await app.app.sweep();
    await app.app.notifications.idle();
    expect(app.slack.of("chat.postMessage", (c) => c.args.thread_ts === card.response.ts)).toHaveLength(thread.length);
  });

  test("the database down when a command arrives: the ack itself says nothing was done, and nothing is", async () => {
    const real = await openStore({ sqlitePath: ":memory:" });
    let down = false;
    // Only recording the request fails: the point where a command is accepted, before its ack.
    const store: Store = Object.assign(Object.create(real) as Store, {
      acceptRequests: (...args: Parameters<Store["acceptRequests"]>) => (down ? Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")) : real.acceptRequests(...args)),
    });
    try {
      t = await startSlackTestApp({ store });
      down = true;
      const ack = await t.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
      expect(ack.status).toBe(200);
      expect(JSON.parse(ack.text)).toEqual({ response_type: "ephemeral", text: expect.stringContaining("cannot reach its database, so nothing was changed") });
      await t.app.sweep();
      expect(await real.listDeploys({})).toEqual([]);
      expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(0);
      expect(t.slack.calls).toEqual([]);

      down = false;
      await t.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
      await t.slack.waitFor("chat.postMessage", (c) => !c.args.thread_ts);
      expect(await real.listDeploys({})).toHaveLength(1);
    } finally {
      await t?.close();
      t = undefined;
      await real.close();
    }
  });

  describe("a restarted server", () => {
    let store: Store;
    let emulator: RunningEmulator;
    let slack: FakeSlackApi;
    beforeEach(async () => {
      store = await openStore({ sqlitePath: ":memory:" });
      emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
      slack = await FakeSlackApi.start();
    });
    afterEach(async () => {
      await store.close();
      await emulator.close();
      await slack.close();
    });

    test("keeps editing the same card (channel and ts come from the store)", async () => {
      const first = await startSlackTestApp({ store, emulator, slack });
      await first.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
      const card = await slack.waitFor("chat.postMessage", (c) => !c.args.thread_ts);
      const [deploy] = await store.listDeploys({});
      await first.runDeploy(deploy!.id, (d) => d.stages.some((s) => s.name === "Bake" && s.status !== "waiting"));
      await first.close();

      t = await startSlackTestApp({ store, emulator, slack });
      await t.runDeploy(deploy!.id);
      await slack.waitFor("chat.update", (c) => c.args.ts === card.response.ts && blocksText(c.args).includes("✅ Succeeded"));
      await t.app.notifications.idle();
      expect(slack.of("chat.postMessage", (c) => !c.args.thread_ts)).toHaveLength(1);
      expect(slack.of("chat.update").every((c) => c.args.ts === card.response.ts && c.args.channel === CHANNEL)).toBe(true);
      const thread = slack.of("chat.postMessage", (c) => c.args.thread_ts === card.response.ts).map((c) => String(c.args.text));
      expect(thread.filter((r) => r.startsWith("🚀"))).toHaveLength(1);
      expect(thread.filter((r) => r.includes("is live in staging"))).toHaveLength(1);
    });
  });
});
