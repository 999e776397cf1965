import { GetPipelineStateCommand, StartPipelineExecutionCommand, type CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { testClient } from "../codepipeline/sdk-client.js";
import { waitFor } from "../kit/wait-for.js";
import { ADMIN_TOKEN, exampleConfigText, loadTestConfig, startTestApp, type TestApp } from "../kit/test-app.js";

const PROD_PIPELINES = ["donations-production", "events-prod", "call-tool-prod", "static-site-prod"];
const TRANSITION_REASON = /^[A-Za-z0-9!@ ().*?-]+$/;

/** What the AWS console shows for a pipeline's deploy stage: GetPipelineState through the real SDK client. */
async function deployTransition(client: CodePipelineClient, pipeline: string) {
  const state = await client.send(new GetPipelineStateCommand({ name: pipeline }));
  return state.stageStates?.find((s) => s.stageName === "Deploy")?.inboundTransitionState;
}

const untilTransition = (client: CodePipelineClient, pipeline: string, enabled: boolean) =>
  waitFor(`${pipeline}'s Deploy transition to be ${enabled ? "enabled" : "disabled"}`, async () => {
    const transition = await deployTransition(client, pipeline);
    return transition?.enabled === enabled ? transition : undefined;
  });

describe("hard freezes through the API and CodePipeline (enforce_in_pipeline on prod)", () => {
  let t: TestApp;
  let aws: CodePipelineClient;
  afterEach(async () => {
    await t.close();
  });

  test("lock all prod closes every prod deploy stage; a console-started run waits before Deploy until unlock", async () => {
    t = await startTestApp();
    aws = testClient(t.emulator.url);
    await untilTransition(aws, "donations-production", true);

    expect((await t.command("lock all prod election results")).reasonCode).toBe("permission_denied");
    const locked = await t.command("lock all prod election results: hands/off", ADMIN_TOKEN);
    expect(locked.outcome).toBe("done");
    for (const pipeline of PROD_PIPELINES) {
      const transition = await untilTransition(aws, pipeline, false);
      expect(transition.disabledReason).toMatch(TRANSITION_REASON);
      expect(transition.disabledReason).toContain("lock all-prod by api sandbox-admin (election results hands-off)");
    }
    expect((await deployTransition(aws, "donations-staging"))?.enabled).toBe(true);

    // Someone starts the pipeline in the console: it bakes, then stops at the closed transition.
    const { pipelineExecutionId } = await aws.send(new StartPipelineExecutionCommand({ name: "donations-production" }));
    t.emulator.emulator.runUntilIdle();
    const waiting = t.emulator.emulator.executions("donations-production").find((e) => e.id === pipelineExecutionId)!;
    expect(waiting.status).toBe("InProgress");
    expect(waiting.stages.map((s) => [s.name, s.status])).toEqual([
      ["Source", "Succeeded"],
      ["Bake", "Succeeded"],
    ]);

    expect((await t.command("unlock all prod", ADMIN_TOKEN)).outcome).toBe("done");
    await untilTransition(aws, "donations-production", true);
    t.emulator.emulator.runUntilIdle();
    expect(waiting.status).toBe("Succeeded");
  });

  test("a deny window open at start-up freezes at once; an admin's forced deploy opens its pipeline while it runs", async () => {
    const now = Date.now();
    const window = [
      "  - name: Launch freeze",
      "    kind: deny",
      `    start: ${new Date(now - 3_600_000).toISOString().slice(0, 16)}+00:00`,
      `    end: ${new Date(now + 3_600_000).toISOString().slice(0, 16)}+00:00`,
      "    environments: [prod]",
      "    services: [donations, events]",
      '    reason: "TV spot: all eyes on donate/now"',
    ].join("\n");
    const config = loadTestConfig(exampleConfigText().replace(/^windows:\n/m, `windows:\n${window}\n`));
    t = await startTestApp({ config });
    aws = testClient(t.emulator.url);

    const frozen = await untilTransition(aws, "donations-production", false);
    expect(frozen.disabledReason).toMatch(TRANSITION_REASON);
    expect(frozen.disabledReason).toContain("Launch freeze (TV spot all eyes on donate-now)");
    await untilTransition(aws, "events-prod", false);
    expect((await deployTransition(aws, "call-tool-prod"))?.enabled).toBe(true);

    const sha = "c".repeat(40);
    const refused = await t.command(`deploy donations prod ${sha} --yes`, ADMIN_TOKEN);
    expect(refused.reasonCode).toBe("window_closed");
    const forced = await t.command(`deploy donations prod ${sha} --force --yes --reason "fix the donate button"`, ADMIN_TOKEN);
    expect(forced).toMatchObject({ outcome: "started", deploy: { forced: true } });
    await untilTransition(aws, "donations-production", true);
    expect((await deployTransition(aws, "events-prod"))?.enabled).toBe(false);

    const done = await t.runDeploy(forced.deploy!.id);
    expect(done.state).toBe("succeeded");
    const again = await untilTransition(aws, "donations-production", false);
    expect(again.disabledReason).toContain("Launch freeze");
  });

  test("the lock owner's own deploy rolls out through the transition their lock closed", async () => {
    t = await startTestApp();
    aws = testClient(t.emulator.url);
    const staging = await t.command(`deploy donations staging ${"d".repeat(40)}`, ADMIN_TOKEN);
    expect((await t.runDeploy(staging.deploy!.id)).state).toBe("succeeded");
    expect((await t.command("lock all prod release train", ADMIN_TOKEN)).outcome).toBe("done");
    await untilTransition(aws, "donations-production", false);

    const promoted = await t.command("deploy donations prod --yes", ADMIN_TOKEN);
    expect(promoted).toMatchObject({ outcome: "started", deploy: { forced: false } });
    expect((await t.runDeploy(promoted.deploy!.id)).state).toBe("succeeded");
    await untilTransition(aws, "donations-production", false);
  });
});
