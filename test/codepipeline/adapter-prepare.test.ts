// prepare(): GetPipeline is read while a deploy is being decided, not on the way to StartPipelineExecution.
import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { CodePipelineAdapter } from "../../src/adapters/codepipeline/codepipeline-adapter.js";
import type { Emulator, EmulatorPipeline } from "../../src/emulator/index.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { aStartRequest } from "../kit/builders.js";
import { testClient } from "./sdk-client.js";

const stages = [{ name: "Source", actions: ["Source"] }, { name: "Bake" }, { name: "Deploy" }];
const PIPELINES: EmulatorPipeline[] = [{ name: "donations-staging", stages, bakeStage: "Bake", repo: "hfa/donations" }];

let running: RunningEmulator;
let emulator: Emulator;
let client: CodePipelineClient;
let adapter: CodePipelineAdapter;

const request = aStartRequest;

const calls = (operation: string) => emulator.stats().calls[operation] ?? 0;

beforeEach(async () => {
  running = await startEmulator({ pipelines: PIPELINES, scheduler: "manual", stepMs: 1000 });
  emulator = running.emulator;
  client = testClient(running.url);
  adapter = new CodePipelineAdapter(client);
});

afterEach(async () => {
  client.destroy();
  await running.close();
});

describe("prepare", () => {
  it("reads the pipeline once: the start that follows uses that read, variables included", async () => {
    adapter.prepare("donations-staging");
    const { executionId } = await adapter.start(request());

    expect(calls("GetPipeline")).toBe(1);
    expect(calls("StartPipelineExecution")).toBe(1);
    const execution = emulator.executions("donations-staging").find((e) => e.id === executionId);
    expect(execution?.variables).toEqual(expect.objectContaining({ WHISTLESTOP_DEPLOY_ID: "deploy-1", WHISTLESTOP_ACTOR: "octocat" }));
  });

  it("never throws, and a failed read leaves start() to report the problem as it always did", async () => {
    const unprepared = await adapter.start(request({ pipelineName: "nope" })).catch((error: unknown) => error);
    adapter.prepare("nope");
    const prepared = await adapter.start(request({ pipelineName: "nope" })).catch((error: unknown) => error);

    expect(prepared).toBeInstanceOf(Error);
    expect((prepared as Error).message).toBe((unprepared as Error).message);
    // The failed read was not kept: the start after prepare() asked again (or shared prepare's own try).
    expect(calls("GetPipeline")).toBeGreaterThanOrEqual(2);
  });
});
