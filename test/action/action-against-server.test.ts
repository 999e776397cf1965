import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { ADMIN_TOKEN, loadTestConfig, startTestApp, TEST_TOKEN, type TestApp } from "../kit/test-app.js";
import { runBundledAction } from "./run-bundled-action.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

/**
 * The bundled action against the real server. The emulator runs on real timers with short
 * steps, so a deploy ends by itself while the action follows it; no test steps it by hand.
 */
describe("the bundled GitHub Action against the real server and the emulator", () => {
  let emulator: RunningEmulator;
  let t: TestApp;
  const inputs = (extra: Record<string, string> = {}) => ({
    command: "deploy",
    service: "donations",
    environment: "staging",
    "server-url": t.url,
    token: TEST_TOKEN,
    ...extra,
  });

  beforeEach(async () => {
    const config = loadTestConfig();
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(config), stepMs: 10 });
    t = await startTestApp({ config, emulator });
  });
  afterEach(async () => {
    await t.close();
    await emulator.close();
  });

  test("a deploy is followed to success: outputs set, progress in the log, a summary with the stages", async () => {
    const run = await runBundledAction(inputs({ reason: "ship the new donate form" }));
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ "deploy-id": expect.stringMatching(/^[a-zA-Z0-9-]+$/), state: "succeeded", "reason-code": "", sha: SHA, artifact: expect.stringMatching(/^ami-[0-9a-f]{17}$/) });
    expect(run.stdout).toContain(`Command: deploy donations staging ${SHA} --yes --reason "ship the new donate form"`);
    expect(run.stdout).toMatch(/✓ Bake done/);
    expect(run.stdout).toMatch(/^::notice title=Whistlestop%3A donations → staging succeeded::Deploy .* succeeded \(artifact ami-/m);
    expect(run.summary).toContain("| Stage | State | Started | Finished | Duration |");
    for (const stage of ["Source", "Bake", "Deploy", "Verify"]) expect(run.summary).toMatch(new RegExp(`\\| ${stage} \\| ✅ succeeded \\| \\d\\d:\\d\\d:\\d\\d UTC \\|`));
    expect(run.summary).toContain(`[\`0123456\`](https://github.com/whistlestop-demo/donations/commit/${SHA})`);
    expect(run.summary).toContain(run.outputs.artifact);

    const stored = await t.store.getDeploy(run.outputs["deploy-id"]!);
    expect(stored).toMatchObject({ state: "succeeded", actor: "api:ci (octocat)", surface: "api", reason: "ship the new donate form" });
  });

  test("command approve with deploy-id approves a deploy awaiting approval and follows it to success; a second approve fails the step", async () => {
    await t.close();
    const base = loadTestConfig();
    const config = { ...base, environments: { ...base.environments, staging: { ...base.environments.staging!, approvals: { required: 1, from: ["api:ci"], expiresMs: 3_600_000 } } } };
    t = await startTestApp({ config, emulator });
    const asked = await t.command(`deploy donations staging ${SHA}`, ADMIN_TOKEN);
    expect(asked).toMatchObject({ outcome: "waiting", deploy: { state: "awaiting_approval" } });
    const run = await runBundledAction({ command: "approve", "deploy-id": asked.deploy!.id, "server-url": t.url, token: TEST_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Command: approve ${asked.deploy!.id}`);
    expect(run.outputs).toMatchObject({ "deploy-id": asked.deploy!.id, state: "succeeded", sha: SHA });
    expect(run.stdout).toMatch(/^::notice title=Whistlestop%3A donations → staging succeeded::/m);
    // The same step again is recognised and answered; a new attempt is a new approval, refused as one.
    const repeated = await runBundledAction({ command: "approve", "deploy-id": asked.deploy!.id, "server-url": t.url, token: TEST_TOKEN });
    expect(repeated.code).toBe(0);
    const again = await runBundledAction({ command: "approve", "deploy-id": asked.deploy!.id, "server-url": t.url, token: TEST_TOKEN }, { GITHUB_RUN_ATTEMPT: "2" });
    expect(again.code).toBe(1);
    expect(again.outputs).toMatchObject({ state: "refused", "reason-code": "not_found" });
    const audit = await t.store.listAudit({ deployId: asked.deploy!.id });
    expect(audit.filter((e) => e.action === "approve").map((e) => e.outcome).reverse()).toEqual(["started", "refused"]);
  });

  test("a deploy into an env locked by someone else fails the step with reason-code=locked", async () => {
    const lock = await t.command("lock donations staging --reason test", ADMIN_TOKEN);
    expect(lock.outcome).toBe("done");
    const run = await runBundledAction(inputs());
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ state: "refused", "reason-code": "locked", "deploy-id": "" });
    expect(run.stdout).toMatch(/^::error title=Whistlestop%3A donations → staging refused \(locked\)::.*locked by api:sandbox-admin/m);
    expect(run.summary).toContain("Reason code: `locked`");
    expect(await t.store.listDeploys({ service: "donations", env: "staging" })).toHaveLength(0);
  });

  test("diff and status answer without deploying: the sha and the verdict's code as outputs, the lines in the summary", async () => {
    await t.command("lock donations staging --reason migration", ADMIN_TOKEN);
    const diff = await runBundledAction(inputs({ command: "diff" }));
    expect(diff.code).toBe(0);
    expect(diff.outputs).toMatchObject({ state: "done", sha: SHA, "reason-code": "locked", "deploy-id": "" });
    expect(diff.stdout).toContain(`Command: diff donations staging ${SHA}`);
    expect(diff.summary).toContain("donations/staging: a deploy would put 0123456 live; nothing is live there yet.  \nFirst deploy here");
    const status = await runBundledAction(inputs({ command: "status", environment: "" }));
    expect(status.code).toBe(0);
    expect(status.outputs).toMatchObject({ state: "done" });
    expect(status.stdout).toMatch(/^::notice title=Whistlestop%3A donations done::donations at /m);
    expect(status.summary).toMatch(/staging: nothing live · 🔒 locked by api:sandbox-admin \(migration\)/);
    expect(await t.store.listDeploys({ service: "donations" })).toHaveLength(0);
  });

  test("check answers deployable without deploying, and blocked (failing the step) while the env is locked", async () => {
    const open = await runBundledAction(inputs({ command: "check" }));
    expect(open.code).toBe(0);
    expect(open.outputs).toMatchObject({ state: "deployable", "reason-code": "" });
    expect(open.stdout).toMatch(/donations\/staging is deployable now: 0123456/);

    await t.command("lock donations staging --reason migration", ADMIN_TOKEN);
    const locked = await runBundledAction(inputs({ command: "check" }));
    expect(locked.code).toBe(1);
    expect(locked.outputs).toMatchObject({ state: "blocked", "reason-code": "locked" });
    expect(locked.stdout).toMatch(/^::error .*migration/m);
    expect(await t.store.listDeploys({})).toHaveLength(0);
    expect(emulator.emulator.executions("donations-staging")).toHaveLength(0);
  });

  test("check runs every policy: prod refuses a token that is not a deployer there", async () => {
    const run = await runBundledAction(inputs({ command: "check", environment: "prod" }));
    expect(run.outputs).toMatchObject({ state: "blocked", "reason-code": "permission_denied" });
  });

  test("a bad token fails the step with what to fix, and the token is masked", async () => {
    const run = await runBundledAction(inputs({ token: "not-a-real-token-123" }));
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")[0]).toBe("::add-mask::not-a-real-token-123");
    expect(run.stdout).toMatch(/^::error .*refused the token \(401\).*WHISTLESTOP_API_TOKENS/m);
    expect(run.stdout.split("not-a-real-token-123")).toHaveLength(2);
    expect(run.outputs).toMatchObject({ state: "error", "deploy-id": "" });
  });

  test("wait=false returns after the decision with the deploy id and its state then", async () => {
    emulator.emulator.stepMs = 60_000;
    const run = await runBundledAction(inputs({ wait: "false" }));
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ state: "running", sha: SHA, artifact: "" });
    expect(run.stdout).not.toContain("Following deploy");
    const stored = await t.store.getDeploy(run.outputs["deploy-id"]!);
    expect(stored?.state).toBe("running");
    await t.command("cancel donations staging");
  });

  test("the same step run again in the same attempt starts nothing new", async () => {
    emulator.emulator.stepMs = 60_000;
    const first = await runBundledAction(inputs({ wait: "false" }));
    const again = await runBundledAction(inputs({ wait: "false" }));
    expect(again.code).toBe(0);
    expect(again.outputs["deploy-id"]).toBe(first.outputs["deploy-id"]);
    expect(again.stdout).toMatch(/Already received this request/);
    expect(emulator.emulator.executions("donations-staging")).toHaveLength(1);
    const nextAttempt = await runBundledAction(inputs({ wait: "false" }), { GITHUB_RUN_ATTEMPT: "2" });
    expect(nextAttempt.outputs["deploy-id"]).not.toBe(first.outputs["deploy-id"]);
    await t.command("cancel donations staging");
  });

  test("a cancelled job (the runner's SIGINT) stops following, writes outputs and summary, and leaves the deploy running", async () => {
    emulator.emulator.stepMs = 60_000;
    const run = await runBundledAction(inputs(), {}, { match: /^Following deploy /m, then: (child) => child.kill("SIGINT") });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ state: "running", "deploy-id": expect.stringMatching(/^d-/) });
    expect(run.stdout).toMatch(/^::error .*was being followed when the job was cancelled\. It goes on on the server/m);
    expect(run.summary).toContain("| Stage | State |");
    expect((await t.store.getDeploy(run.outputs["deploy-id"]!))?.state).toBe("running");
    await t.command("cancel donations staging");
  });

  test("a failing pipeline fails the step with the pipeline's error", async () => {
    emulator.emulator.failStage({ stage: "Bake", pipeline: "donations-staging", message: "packer: AMI build timed out" });
    const run = await runBundledAction(inputs());
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ state: "failed", "reason-code": "" });
    expect(run.stdout).toMatch(/^::error title=Whistlestop%3A donations → staging failed::Deploy .* failed: .*packer: AMI build timed out/m);
    expect(run.summary).toMatch(/\| Bake \| ❌ failed \|/);
  });

  test("lock and unlock through the action; a timeout fails the step and leaves the deploy running", async () => {
    const lock = await runBundledAction(inputs({ command: "lock", reason: "--force is not a flag here" }));
    expect(lock.code).toBe(0);
    expect(lock.outputs.state).toBe("done");
    expect(await t.store.listLocks(new Date())).toEqual([expect.objectContaining({ owner: "api:ci (octocat)", ownerKey: "api:ci", reason: "--force is not a flag here" })]);
    const unlock = await runBundledAction(inputs({ command: "unlock" }));
    expect(unlock.code).toBe(0);
    expect(await t.store.listLocks(new Date())).toHaveLength(0);

    emulator.emulator.stepMs = 60_000;
    const slow = await runBundledAction(inputs({ timeout: "1s" }));
    expect(slow.code).toBe(1);
    expect(slow.outputs.state).toBe("running");
    expect(slow.stdout).toMatch(/^::error .*still running after the timeout of 1s/m);
    await t.command("cancel donations staging");
  });
});
