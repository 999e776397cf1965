import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/adapters/store/open-store.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { exampleConfigText, loadTestConfig, startTestApp, type TestApp } from "../kit/test-app.js";
import { waitFor } from "../kit/wait-for.js";

// Without the GitHub app only full shas can be deployed (nothing can resolve a branch name).
const GOOD = "0123456789abcdef0123456789abcdef01234567";
const BAD = "89abcdef0123456789abcdef0123456789abcdef";

/** The example configuration with staging rolling back on failure. */
const config = () => loadTestConfig(exampleConfigText().replace("  staging: {}", "  staging: { on_failure: rollback }"));

describe("on_failure: rollback through the HTTP API, the real SDK client and the emulator", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ config: config() });
  });
  afterEach(async () => {
    await t.close();
  });

  test("a failed Deploy stage starts exactly one rollback to the previous release, which succeeds", async () => {
    const good = await t.command(`deploy donations staging ${GOOD}`);
    expect((await t.runDeploy(good.deploy!.id)).state).toBe("succeeded");
    t.emulator.emulator.failStage({ stage: "Deploy", pipeline: "donations-staging", sha: BAD, message: "CodeDeploy: health checks failed" });
    const bad = await t.command(`deploy donations staging ${BAD}`);
    expect((await t.runDeploy(bad.deploy!.id)).state).toBe("failed");

    const rollbackId = await waitFor("the failed deploy to link its rollback", async () => (await t.store.getDeploy(bad.deploy!.id))?.autoRollbackId);
    const rollback = await t.runDeploy(rollbackId);
    expect(rollback).toMatchObject({ state: "succeeded", sha: GOOD, actor: "whistlestop", rollbackOf: bad.deploy!.id });
    const calls = t.emulator.emulator.stats().calls;
    expect(calls.RollbackStage).toBe(1);
    expect(calls.StartPipelineExecution).toBe(2);
    const rollbacks = (await t.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf);
    expect(rollbacks.map((d) => d.id)).toEqual([rollback.id]);
    // Whistlestop's own rollback is in the audit log, on the rollback, naming the failure.
    expect(await t.store.listAudit({ deployId: rollback.id })).toEqual([
      expect.objectContaining({ actor: "whistlestop", action: "rollback", outcome: "started", message: expect.stringContaining(`deploy ${bad.deploy!.id}`) }),
    ]);
  });
});

describe("on_failure: rollback after a crash between the failure and the rollback's start", () => {
  let dir: string;
  let emulator: RunningEmulator;
  const apps: TestApp[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "whistlestop-auto-rollback-"));
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) {
      await app.close();
      await app.store.close();
    }
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const startOnFile = async (withConfig = config()): Promise<TestApp> => {
    const app = await startTestApp({ config: withConfig, emulator, store: await openStore({ sqlitePath: join(dir, "whistlestop.db") }) });
    apps.push(app);
    return app;
  };
  const stop = async (app: TestApp) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
    await app.store.close();
  };

  test("the restarted server starts the one rollback the dead one never did, and a second restart starts none", async () => {
    // The first server does not roll back (on_failure: notify), and its last report is undone:
    // the state kill -9 leaves after storing the failure and before the rollback's insert.
    const first = await startOnFile(loadTestConfig());
    const good = await first.command(`deploy donations staging ${GOOD}`);
    expect((await first.runDeploy(good.deploy!.id)).state).toBe("succeeded");
    emulator.emulator.failStage({ stage: "Deploy", pipeline: "donations-staging", sha: BAD });
    const bad = await first.command(`deploy donations staging ${BAD}`);
    const badId = bad.deploy!.id;
    expect((await first.runDeploy(badId)).state).toBe("failed");
    await waitFor("the first server to report the failure", async () => ((await first.store.getDeploy(badId))?.notifiedState === "failed" ? true : undefined));
    await first.store.markNotified(badId, "running");
    await first.store.updateDeploy(badId, { ownerId: "dead-replica", leaseExpiresAt: new Date(0).toISOString() });
    await stop(first);
    expect(emulator.emulator.stats().calls.RollbackStage ?? 0).toBe(0);

    const second = await startOnFile();
    const rollbackId = await waitFor("the restarted server to start the rollback", async () => (await second.store.getDeploy(badId))?.autoRollbackId);
    expect(await second.runDeploy(rollbackId)).toMatchObject({ state: "succeeded", sha: GOOD, rollbackOf: badId });
    await stop(second);

    const third = await startOnFile();
    await waitFor("the failure to be reported", async () => ((await third.store.listUnnotified(10)).length === 0 ? true : undefined));
    expect(emulator.emulator.stats().calls.RollbackStage).toBe(1);
    expect((await third.store.listDeploys({ service: "donations", env: "staging" })).filter((d) => d.rollbackOf === badId)).toHaveLength(1);
    expect((await third.store.listAudit({ deployId: rollbackId })).filter((e) => e.actor === "whistlestop" && e.action === "rollback")).toHaveLength(1);
  });
});
