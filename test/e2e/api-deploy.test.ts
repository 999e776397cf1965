import { startTestApp, type TestApp } from "../kit/test-app.js";

describe("end to end through the HTTP API, the real SDK client and the emulator", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  test("deploy → StartPipelineExecution pinned to the sha with the deploy id as token → stages → succeeded with the AMI", async () => {
    const result = await t.command("deploy donations staging");
    expect(result).toMatchObject({ status: 200, outcome: "started", deploy: { service: "donations", env: "staging", state: "running" } });
    const id = result.deploy!.id;
    const [execution] = t.emulator.emulator.executions("donations-staging");
    expect(execution).toMatchObject({ clientRequestToken: id });
    expect(JSON.stringify(execution)).toContain(result.deploy!.sha);
    const done = await t.runDeploy(id);
    expect(done.state).toBe("succeeded");
    expect(done.artifact).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(done.stages.map((s) => [s.name, s.status])).toEqual([
      ["Source", "succeeded"],
      ["Bake", "succeeded"],
      ["Deploy", "succeeded"],
      ["Verify", "succeeded"],
    ]);
    const view = await (await fetch(`${t.url}/api/v1/deploys/${id}`, { headers: { Authorization: "Bearer test-token-0123456789abcdef" } })).json();
    expect(view).toMatchObject({ id, state: "succeeded", artifact: done.artifact });
  });

  test("a failing bake fails the deploy with the pipeline's error message", async () => {
    t.emulator.emulator.failStage({ stage: "Bake", pipeline: "donations-staging", message: "packer: AMI build timed out" });
    const { deploy } = await t.command("deploy donations staging");
    const done = await t.runDeploy(deploy!.id);
    expect(done.state).toBe("failed");
    expect(done.error).toMatch(/packer: AMI build timed out/);
  });

  test("cancel stops the execution and the deploy ends cancelled", async () => {
    const { deploy } = await t.command("deploy donations staging");
    const cancel = await t.command("cancel donations staging");
    expect(cancel.outcome).toBe("done");
    const done = await t.runDeploy(deploy!.id);
    expect(done.state).toBe("cancelled");
    expect(t.emulator.emulator.executions("donations-staging")[0]?.status).toBe("Stopped");
  });

  test("a second deploy queues and starts by itself when the first ends", async () => {
    const first = await t.command("deploy donations staging");
    const second = await t.command("deploy donations staging main");
    expect(second).toMatchObject({ outcome: "queued", deploy: { queuePosition: 1 } });
    const auth = { headers: { Authorization: "Bearer test-token-0123456789abcdef" } };
    const queued = (await (await fetch(`${t.url}/api/v1/deploys?state=queued`, auth)).json()) as { deploys: Array<{ id: string }> };
    expect(queued.deploys.map((d) => d.id)).toEqual([second.deploy!.id]);
    expect((await fetch(`${t.url}/api/v1/deploys?state=done`, auth)).status).toBe(400);
    await t.runDeploy(first.deploy!.id);
    const started = await t.runDeploy(second.deploy!.id, (d) => d.state === "running" && d.executionId !== undefined);
    expect(started.executionId).toBeDefined();
    expect(t.emulator.emulator.executions("donations-staging")).toHaveLength(2);
  });

  test("rollback → RollbackStage on the deploy stage targeting the previous release's execution", async () => {
    const first = await t.command("deploy donations staging v1");
    const one = await t.runDeploy(first.deploy!.id);
    const second = await t.command("deploy donations staging v2");
    await t.runDeploy(second.deploy!.id);
    const rollback = await t.command("rollback donations staging");
    expect(rollback.outcome).toBe("started");
    const done = await t.runDeploy(rollback.deploy!.id);
    expect(done).toMatchObject({ state: "succeeded", sha: one.sha, rollbackOf: second.deploy!.id, rollbackTargetExecutionId: one.executionId });
    const executions = t.emulator.emulator.executions("donations-staging");
    expect(executions.at(-1)).toMatchObject({ type: "ROLLBACK" });
  });
});
