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
  });
});
