// The adapter on the real SDK client against the emulator over HTTP: every call the adapter makes.
import { GetPipelineExecutionCommand, GetPipelineStateCommand, ListPipelineExecutionsCommand, type CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { CodePipelineAdapter } from "../../src/adapters/codepipeline/codepipeline-adapter.js";
import { amiIdFor, type Emulator, type EmulatorPipeline } from "../../src/emulator/index.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { rejection } from "./pipeline-rejection.js";
import { aStartRequest } from "../kit/builders.js";
import { testClient } from "./sdk-client.js";

const STEP = 1000;
const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);
const stages = [{ name: "Source", actions: ["Source"] }, { name: "Bake" }, { name: "Deploy" }, { name: "Verify" }];
const PIPELINES: EmulatorPipeline[] = [
  { name: "donations-staging", stages, bakeStage: "Bake", repo: "hfa/donations" },
  { name: "plain-staging", stages, variables: [] },
  { name: "half-staging", stages, variables: ["WHISTLESTOP_DEPLOY_ID"] },
];

let running: RunningEmulator;
let emulator: Emulator;
let client: CodePipelineClient;
let adapter: CodePipelineAdapter;

const request = aStartRequest;

async function runToSuccess(deployId: string, sha: string): Promise<string> {
  const { executionId } = await adapter.start(request({ deployId, sha }));
  emulator.advance(4 * STEP);
  expect((await adapter.getExecution("donations-staging", executionId)).status).toBe("Succeeded");
  return executionId;
}


beforeEach(async () => {
  running = await startEmulator({ pipelines: PIPELINES, scheduler: "manual", stepMs: STEP });
  emulator = running.emulator;
  client = testClient(running.url);
  adapter = new CodePipelineAdapter(client, { configPathForPipeline: (name) => (name === "donations-prod" ? "services.donations.environments.prod.pipeline" : undefined) });
});

afterEach(async () => {
  client.destroy();
  await running.close();
});

describe("start", () => {
  it("pins the sha on the source action and returns the same execution when retried with the same deploy id", async () => {
    const first = await adapter.start(request());
    const again = await adapter.start(request());
    expect(again.executionId).toBe(first.executionId);
    expect(emulator.executions("donations-staging")).toHaveLength(1);

    const listed = await client.send(new ListPipelineExecutionsCommand({ pipelineName: "donations-staging" }));
    expect(listed.pipelineExecutionSummaries?.[0]?.sourceRevisions?.[0]).toMatchObject({ actionName: "Source", revisionId: SHA_A });
  });

  it("passes WHISTLESTOP_DEPLOY_ID and WHISTLESTOP_ACTOR only when the pipeline declares them", async () => {
    await adapter.start(request({ pipelineName: "donations-staging" }));
    await adapter.start(request({ pipelineName: "plain-staging" }));
    await adapter.start(request({ pipelineName: "half-staging" }));
    expect(emulator.executions("donations-staging")[0]?.variables).toEqual({ WHISTLESTOP_DEPLOY_ID: "deploy-1", WHISTLESTOP_ACTOR: "octocat" });
    expect(emulator.executions("plain-staging")[0]?.variables).toEqual({});
    expect(emulator.executions("half-staging")[0]?.variables).toEqual({ WHISTLESTOP_DEPLOY_ID: "deploy-1" });
  });

  it("names the fix when the source action does not exist", async () => {
    const error = await rejection(adapter.start(request({ sourceAction: "GitHub" })));
    expect(error.code).toBe("source_action_not_found");
    expect(error.message).toContain("source_action");
  });
});

describe("getExecution", () => {
  it("follows the execution stage by stage to Succeeded with the baked AMI as artifact", async () => {
    const { executionId } = await adapter.start(request());
    let snapshot = await adapter.getExecution("donations-staging", executionId);
    expect(snapshot.status).toBe("InProgress");
    expect(snapshot.stages.map((s) => [s.name, s.status])).toEqual([
      ["Source", "running"],
      ["Bake", "waiting"],
      ["Deploy", "waiting"],
      ["Verify", "waiting"],
    ]);

    emulator.advance(STEP);
    snapshot = await adapter.getExecution("donations-staging", executionId);
    expect(snapshot.stages.map((s) => s.status)).toEqual(["succeeded", "running", "waiting", "waiting"]);
    expect(snapshot.stages[0]?.actions?.[0]?.url).toBe(`https://github.com/hfa/donations/commit/${SHA_A}`);

    emulator.advance(3 * STEP);
    snapshot = await adapter.getExecution("donations-staging", executionId);
    expect(snapshot.status).toBe("Succeeded");
    expect(snapshot.stages.every((s) => s.status === "succeeded" && s.startedAt && s.finishedAt)).toBe(true);
    expect(snapshot.artifact).toBe(amiIdFor(SHA_A));
    expect(snapshot.artifact).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(snapshot.url).toBe(
      `https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/donations-staging/executions/${executionId}/timeline?region=us-east-1`,
    );
  });

  it("reports an injected bake failure as Failed with the action's message", async () => {
    emulator.failStage({ stage: "Bake", sha: SHA_B, message: "Packer build failed: AMI quota exceeded" });
    const good = await adapter.start(request({ deployId: "good" }));
    const bad = await adapter.start(request({ deployId: "bad", sha: SHA_B }));
    emulator.runUntilIdle();

    const failed = await adapter.getExecution("donations-staging", bad.executionId);
    expect(failed.status).toBe("Failed");
    expect(failed.error).toBe("Bake: Packer build failed: AMI quota exceeded");
    expect(failed.stages.map((s) => s.status)).toEqual(["succeeded", "failed", "skipped", "skipped"]);
    expect(failed.artifact).toBeUndefined();
    // Only the named sha fails.
    expect((await adapter.getExecution("donations-staging", good.executionId)).status).toBe("Succeeded");
  });

  it("explains an unknown execution", async () => {
    const error = await rejection(adapter.getExecution("donations-staging", "00000000-0000-0000-0000-000000000000"));
    expect(error.code).toBe("execution_not_found");
  });
});

describe("stop", () => {
  it("moves the execution through Stopping to Stopped, and a second stop is harmless", async () => {
    const { executionId } = await adapter.start(request());
    emulator.advance(STEP + 10);
    await adapter.stop("donations-staging", executionId, "cancelled by alice: wrong branch");
    expect((await adapter.getExecution("donations-staging", executionId)).status).toBe("Stopping");
    await adapter.stop("donations-staging", executionId, "again");

    emulator.advance(STEP);
    const snapshot = await adapter.getExecution("donations-staging", executionId);
    expect(snapshot.status).toBe("Stopped");
    expect(snapshot.stages.map((s) => s.status)).toEqual(["succeeded", "succeeded", "skipped", "skipped"]);
    await adapter.stop("donations-staging", executionId, "after the end");
    const summaries = await client.send(new ListPipelineExecutionsCommand({ pipelineName: "donations-staging" }));
    expect(summaries.pipelineExecutionSummaries?.[0]?.stopTrigger?.reason).toBe("cancelled by alice: wrong branch");
  });
});

describe("rollbackStage", () => {
  it("re-runs the deploy stage at an older succeeded execution", async () => {
    const older = await runToSuccess("d-1", SHA_A);
    await runToSuccess("d-2", SHA_B);

    const { executionId } = await adapter.rollbackStage("donations-staging", "Deploy", older);
    let snapshot = await adapter.getExecution("donations-staging", executionId);
    expect(snapshot.status).toBe("InProgress");
    expect(snapshot.stages.map((s) => s.status)).toEqual(["skipped", "skipped", "running", "skipped"]);

    emulator.advance(STEP);
    snapshot = await adapter.getExecution("donations-staging", executionId);
    expect(snapshot.status).toBe("Succeeded");
    const execution = await client.send(new GetPipelineExecutionCommand({ pipelineName: "donations-staging", pipelineExecutionId: executionId }));
    expect(execution.pipelineExecution).toMatchObject({
      executionType: "ROLLBACK",
      rollbackMetadata: { rollbackTargetPipelineExecutionId: older },
      artifactRevisions: [expect.objectContaining({ revisionId: SHA_A })],
    });
  });

  it("returns the running rollback when the same rollback is asked for again", async () => {
    const older = await runToSuccess("d-1", SHA_A);
    await runToSuccess("d-2", SHA_B);
    const first = await adapter.rollbackStage("donations-staging", "Deploy", older);
    const again = await adapter.rollbackStage("donations-staging", "Deploy", older);
    expect(again.executionId).toBe(first.executionId);
    expect(emulator.executions("donations-staging").filter((e) => e.type === "ROLLBACK")).toHaveLength(1);
  });

  it("refuses a target that never succeeded in the stage", async () => {
    emulator.failStage({ stage: "Bake" });
    const { executionId } = await adapter.start(request());
    emulator.runUntilIdle();
    const error = await rejection(adapter.rollbackStage("donations-staging", "Deploy", executionId));
    expect(error.code).toBe("rollback_unavailable");
    expect(error.retryable).toBe(false);
  });
});

describe("setInboundTransition", () => {
  it("holds executions before the disabled stage and lets them continue when enabled", async () => {
    await adapter.setInboundTransition("donations-staging", "Deploy", false, "Election night: prod frozen (window) — 18:00/06:00");
    const { executionId } = await adapter.start(request());
    emulator.advance(10 * STEP);

    const held = await adapter.getExecution("donations-staging", executionId);
    expect(held.status).toBe("InProgress");
    expect(held.stages.map((s) => s.status)).toEqual(["succeeded", "succeeded", "waiting", "waiting"]);
    const state = await client.send(new GetPipelineStateCommand({ name: "donations-staging" }));
    const deploy = state.stageStates?.find((s) => s.stageName === "Deploy");
    expect(deploy?.inboundTransitionState?.enabled).toBe(false);
    expect(deploy?.inboundTransitionState?.disabledReason).toMatch(/^[a-zA-Z0-9!@ ().*?-]+$/);
    expect(deploy?.inboundTransitionState?.disabledReason).toContain("Election night");

    await adapter.setInboundTransition("donations-staging", "Deploy", true, "window ended");
    emulator.advance(2 * STEP);
    expect((await adapter.getExecution("donations-staging", executionId)).status).toBe("Succeeded");
  });

  it("explains a stage that does not exist", async () => {
    const error = await rejection(adapter.setInboundTransition("donations-staging", "Release", false, "freeze"));
    expect(error.code).toBe("stage_not_found");
    expect(error.message).toContain("deploy_stage");
  });
});

describe("unknown pipeline", () => {
  it("names the pipeline, the region and the configuration key to check", async () => {
    const error = await rejection(adapter.start(request({ pipelineName: "donations-prod" })));
    expect(error.code).toBe("pipeline_not_found");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("pipeline donations-prod not found in us-east-1 — check services.donations.environments.prod.pipeline");

    const generic = await rejection(adapter.getExecution("nope", "00000000-0000-0000-0000-000000000000"));
    expect(generic.message).toContain("pipeline nope not found in us-east-1 — check the pipeline name in whistlestop.yml");
  });
});
