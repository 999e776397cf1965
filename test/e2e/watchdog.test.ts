import { randomBytes } from "node:crypto";
import type pg from "pg";
import { openStore } from "../../src/adapters/store/open-store.js";
import type { Clock } from "../../src/core/ports/clock.js";
import type { Store } from "../../src/core/ports/store.js";
import type { ExecutionRecord } from "../../src/emulator/execution-record.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { exampleConfigText, loadTestConfig } from "../kit/test-app.js";
import { waitFor } from "../kit/wait-for.js";
import { FakeSlackApi, type SlackCall } from "../slack/fake-slack-api.js";
import { startSlackTestApp, USERS, type SlackTestApp } from "../slack/slack-test-app.js";
import { connectOrExplain, TEST_DATABASE_URL } from "../store/store-harness.js";

const CHANNEL = "C0OPS";
const PIPELINE = "donations-staging";
const STAGES = ["Source", "Bake", "Deploy", "Verify"];
const MINUTE = 60_000;

/**
 * The watchdog through the real server, the Slack surface and the CodePipeline emulator. The
 * emulator runs on a manual clock and the app's clock reads it, so time moves only when a test
 * moves it: a stage "hangs" by taking hours of emulator time, and the watchdog's check is run
 * by hand (its duty would run it every minute).
 */
describe("watchdog", () => {
  let emulator: RunningEmulator;
  let slack: FakeSlackApi;
  const apps: SlackTestApp[] = [];
  /** The app's clock is the emulator's: what CodePipeline reports and what the watchdog reads agree. */
  const clock: Clock = { now: () => new Date(emulator.emulator.scheduler.now()) };

  beforeEach(async () => {
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
    slack = await FakeSlackApi.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await slack.close();
    await emulator.close();
  });

  const start = async (config = loadTestConfig(), store?: Store): Promise<SlackTestApp> => {
    const app = await startSlackTestApp({ config, emulator, slack, clock, surface: { now: () => Date.now() }, ...(store ? { store } : {}) });
    apps.push(app);
    return app;
  };
  const newest = (): ExecutionRecord => emulator.emulator.executions(PIPELINE).at(-1)!;
  const actionOf = (stage: string) => newest().actions.find((a) => a.stageName === stage);

  /** Runs the newest execution, each stage taking `minutes[stage]` (default a second), until `done` holds. */
  const runPipeline = (minutes: Record<string, number>, done: (e: ExecutionRecord) => boolean) => {
    for (let i = 0; i < 100 && !done(newest()); i++) {
      const current = newest().actions.at(-1)?.stageName;
      const next = STAGES[STAGES.indexOf(current ?? "") + 1] ?? "";
      emulator.emulator.stepMs = (minutes[next] ?? 1 / 60) * MINUTE;
      if (!emulator.emulator.tick()) break;
    }
  };
  /** Asks for a deploy as octocat on Slack (mapped in `people`), its Source step taking a second. */
  const deployAsOctocat = async (t: SlackTestApp): Promise<string> => {
    emulator.emulator.stepMs = 1000;
    const before = emulator.emulator.executions(PIPELINE).length;
    await t.slash(USERS.octocat, "/deploy", "donations staging", { channel: CHANNEL });
    await waitFor("the execution to start", () => emulator.emulator.executions(PIPELINE).length > before || undefined);
    return (await t.store.listDeploys({ service: "donations", env: "staging" }))[0]!.id;
  };
  /** Waits until the server has read the pipeline at least once after now (time may just have jumped). */
  const pollAfterNow = async () => {
    const reads = () => emulator.emulator.stats().calls.GetPipelineExecution ?? 0;
    const before = reads();
    // Reconciles of one deploy run one at a time: a second read means the first one's answer was taken in.
    await waitFor("two more reads of the execution", () => reads() >= before + 2 || undefined);
  };
  /** Emulator time moves on, the server reads the pipeline at the new time, and the watchdog checks. */
  const checkAfter = async (t: SlackTestApp, minutes: number) => {
    emulator.emulator.advance(minutes * MINUTE);
    await pollAfterNow();
    await t.app.watchdogDuty.runOnce();
  };
  const hangIn = async (t: SlackTestApp, stage: string, usual: Record<string, number> = {}): Promise<string> => {
    const id = await deployAsOctocat(t);
    runPipeline({ ...usual, [stage]: 24 * 60 }, () => actionOf(stage)?.status === "InProgress");
    await waitFor(`the server to see ${stage} running`, async () => ((await t.store.getDeploy(id))?.stages.find((s) => s.name === stage)?.status === "running" ? true : undefined));
    return id;
  };
  const warnings = (mark: string): SlackCall[] => slack.of("chat.postMessage", (c) => c.args.thread_ts !== undefined && String(c.args.text).includes(mark));

  test("a hung stage gets one warning in the deploy's thread, mentioning the deployer; later checks add none", async () => {
    const t = await start();
    const id = await hangIn(t, "Deploy");
    await checkAfter(t, 14);
    expect(warnings("⏰")).toHaveLength(0);

    await checkAfter(t, 2);
    await t.app.watchdogDuty.runOnce();
    const card = await t.store.getDeploy(id);
    expect(warnings("⏰")).toHaveLength(1);
    expect(warnings("⏰")[0]!.args).toMatchObject({
      channel: CHANNEL,
      thread_ts: card!.slackTs,
      text: `⏰ <@${USERS.octocat}>: the *Deploy* stage has been running for 16m, longer than 15m. Is it stuck? Check the pipeline, or press Cancel deploy on the card.`,
    });
    expect(warnings("📡")).toHaveLength(0);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: "ok" });
  });

  test("without stage_timeout the limit is 3× the median of the stage's successful runs: 10-minute deploys warn past 30 minutes, not before", async () => {
    const t = await start();
    for (const minutes of [9, 10, 12]) {
      const id = await deployAsOctocat(t);
      runPipeline({ Deploy: minutes }, (e) => e.status !== "InProgress");
      await waitFor("the deploy to succeed", async () => ((await t.store.getDeploy(id))?.state === "succeeded" ? true : undefined));
    }
    await waitFor("three Deploy runs in the history", async () => ((await t.store.recentStageDurations("donations", "staging", "Deploy", 20)).length === 3 ? true : undefined));
    expect(await t.store.recentStageDurations("donations", "staging", "Deploy", 20)).toEqual([12, 10, 9].map((m) => m * MINUTE));

    await hangIn(t, "Deploy");
    await checkAfter(t, 29);
    expect(warnings("⏰")).toHaveLength(0);
    await checkAfter(t, 2);
    expect(warnings("⏰").map((c) => String(c.args.text))).toEqual([expect.stringContaining("the *Deploy* stage has been running for 31m, longer than 30m (3× its usual time)")]);
  });

  test("a configured stage_timeout of 1m holds however short", async () => {
    const t = await start(loadTestConfig(exampleConfigText().replace("  staging: {}", "  staging: { stage_timeout: 1m }")));
    await hangIn(t, "Bake");
    await checkAfter(t, 2);
    expect(warnings("⏰").map((c) => String(c.args.text))).toEqual([expect.stringContaining("the *Bake* stage has been running for 2m, longer than its stage_timeout of 1m")]);
  });

  test("a deploy whose progress cannot be read for 10 minutes is warned about once and listed in /readyz's details", async () => {
    const t = await start();
    const id = await hangIn(t, "Deploy");
    emulator.emulator.failNext(1_000_000, "GetPipelineExecution");
    // A read already in flight may still succeed: let it land before time jumps, so the last
    // progress heard is from before the jump.
    await pollAfterNow();
    emulator.emulator.advance(9 * MINUTE);
    await t.app.watchdogDuty.runOnce();
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: "ok" });

    emulator.emulator.advance(2 * MINUTE);
    await t.app.watchdogDuty.runOnce();
    await t.app.watchdogDuty.runOnce();
    const readyz = await fetch(`${t.url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ status: "ok", details: { silentDeploys: [{ id, service: "donations", env: "staging", since: expect.any(String), silentFor: "11m" }] } });
    expect(warnings("📡").map((c) => String(c.args.text))).toEqual([
      `📡 <@${USERS.octocat}>: Whistlestop has had no progress information about this deploy for 11m (CodePipeline could not be read). It keeps trying; check the pipeline in the AWS console.`,
    ]);
  });

  describe("two replicas sharing PostgreSQL", () => {
    let admin: pg.Client;
    let schema: string;
    beforeAll(async () => {
      admin = await connectOrExplain(TEST_DATABASE_URL);
      schema = `ws_watchdog_${process.pid}_${randomBytes(4).toString("hex")}`;
    });
    afterAll(async () => {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    });

    test("a hung stage warns once: the replica that follows it warns, the one that takes it over does not warn again", async () => {
      const stores = [0, 1].map(() => openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 }));
      const [a, b] = [await start(undefined, await stores[0]!), await start(undefined, await stores[1]!)] as [SlackTestApp, SlackTestApp];
      try {
        const id = await hangIn(a, "Deploy");
        emulator.emulator.advance(16 * MINUTE);
        await pollAfterNow();
        await Promise.all([a.app.watchdogDuty.runOnce(), b.app.watchdogDuty.runOnce()]);
        expect(warnings("⏰")).toHaveLength(1);

        // a stops (handing its deploys back); b takes the deploy over and checks it too.
        await a.close();
        apps.splice(apps.indexOf(a), 1);
        await b.app.sweep();
        await waitFor("b to follow the deploy", () => b.app.tracker.tracked().includes(id) || undefined);
        await checkAfter(b, 1);
        expect(warnings("⏰")).toHaveLength(1);
      } finally {
        for (const app of apps.splice(0)) await app.close();
        for (const store of stores) await (await store).close();
      }
    });
  });
});
