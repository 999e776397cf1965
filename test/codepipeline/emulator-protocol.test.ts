// The emulator as a separate process would see it: raw awsJson1_1 requests and the /_emulator admin API.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { paginateListActionExecutions } from "@aws-sdk/client-codepipeline";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Emulator, startEmulator, type PipelineEvent, type RunningEmulator } from "../../src/emulator/index.js";
import { testClient } from "./sdk-client.js";

const SHA = "c".repeat(40);
const pipeline = { name: "events-staging", stages: [{ name: "Source" }, { name: "Bake" }, { name: "Deploy" }], bakeStage: "Bake" };

let running: RunningEmulator;

async function aws(operation: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(running.url + "/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `CodePipeline_20150709.${operation}`,
      authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/codepipeline/aws4_request, SignedHeaders=host, Signature=abc",
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(running.url + path, { method, ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const start = (extra: Record<string, unknown> = {}) =>
  aws("StartPipelineExecution", { name: pipeline.name, sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: SHA }], ...extra });

beforeEach(async () => {
  running = await startEmulator({ pipelines: [pipeline], scheduler: "manual", stepMs: 500 });
});

afterEach(async () => {
  await running.close();
});

describe("awsJson1_1 protocol", () => {
  it("answers errors as HTTP 400 with __type and message", async () => {
    const missing = await aws("GetPipeline", { name: "nope" });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ __type: "PipelineNotFoundException", message: expect.stringContaining("nope") });
    expect((await aws("GetPipelineExecution", { pipelineName: pipeline.name, pipelineExecutionId: "x" })).body.__type).toBe("PipelineExecutionNotFoundException");
    expect((await aws("DeletePipeline", { name: pipeline.name })).body.__type).toBe("UnknownOperationException");
  });

  it("rejects variables the pipeline does not declare, and malformed request tokens", async () => {
    const undeclared = await start({ variables: [{ name: "DEPLOY_COLOR", value: "blue" }] });
    expect(undeclared.body).toMatchObject({ __type: "ValidationException", message: expect.stringContaining("DEPLOY_COLOR") });
    expect((await start({ clientRequestToken: "no spaces allowed" })).body.__type).toBe("ValidationException");
    expect(running.emulator.executions(pipeline.name)).toHaveLength(0);
  });

  it("starts one execution per client request token", async () => {
    const first = await start({ clientRequestToken: "deploy-42" });
    const second = await start({ clientRequestToken: "deploy-42" });
    const other = await start({ clientRequestToken: "deploy-43" });
    expect(second.body.pipelineExecutionId).toBe(first.body.pipelineExecutionId);
    expect(other.body.pipelineExecutionId).not.toBe(first.body.pipelineExecutionId);
    expect(running.emulator.executions(pipeline.name)).toHaveLength(2);
  });

  it("returns timestamps as epoch seconds and pages action executions", async () => {
    const { body } = await start();
    running.emulator.runUntilIdle();
    const raw = await aws("ListActionExecutions", { pipelineName: pipeline.name, filter: { pipelineExecutionId: body.pipelineExecutionId }, maxResults: 2 });
    const details = raw.body.actionExecutionDetails as { startTime: unknown; stageName: string }[];
    expect(details).toHaveLength(2);
    expect(typeof details[0]?.startTime).toBe("number");
    expect(raw.body.nextToken).toEqual(expect.any(String));

    const client = testClient(running.url);
    const stages: string[] = [];
    for await (const page of paginateListActionExecutions({ client, pageSize: 1 }, { pipelineName: pipeline.name })) {
      stages.push(...(page.actionExecutionDetails ?? []).map((d) => d.stageName ?? ""));
    }
    client.destroy();
    expect(stages).toEqual(["Deploy", "Bake", "Source"]);
  });
});

describe("execution behaviour", () => {
  it("supersedes an older execution waiting at the same closed transition", async () => {
    await aws("DisableStageTransition", { pipelineName: pipeline.name, stageName: "Deploy", transitionType: "Inbound", reason: "freeze" });
    const older = (await start({ clientRequestToken: "older" })).body.pipelineExecutionId;
    running.emulator.advance(5_000);
    const newer = (await start({ clientRequestToken: "newer" })).body.pipelineExecutionId;
    running.emulator.advance(5_000);
    const statusOf = async (id: unknown) =>
      ((await aws("GetPipelineExecution", { pipelineName: pipeline.name, pipelineExecutionId: id })).body.pipelineExecution as { status: string }).status;
    expect(await statusOf(older)).toBe("Superseded");
    expect(await statusOf(newer)).toBe("InProgress");
  });

  it("rejects a transition reason with characters CodePipeline does not allow", async () => {
    const result = await aws("DisableStageTransition", { pipelineName: pipeline.name, stageName: "Deploy", transitionType: "Inbound", reason: "freeze: debate" });
    expect(result.body.__type).toBe("ValidationException");
  });

  it("abandons the running action at once when asked to", async () => {
    const id = (await start()).body.pipelineExecutionId;
    running.emulator.advance(100);
    await aws("StopPipelineExecution", { pipelineName: pipeline.name, pipelineExecutionId: id, abandon: true, reason: "now" });
    const execution = running.emulator.executions(pipeline.name)[0]!;
    expect(execution.status).toBe("Stopped");
    expect(execution.actions.map((a) => a.status)).toEqual(["Abandoned"]);
    expect((await aws("StopPipelineExecution", { pipelineName: pipeline.name, pipelineExecutionId: id })).body.__type).toBe("PipelineExecutionNotStoppableException");
  });
});

describe("real timers", () => {
  it("runs an execution to the end on its own", async () => {
    const real = await startEmulator({ pipelines: [pipeline], stepMs: 2 });
    try {
      const finished = new Promise<PipelineEvent>((resolve) =>
        real.emulator.onEvent((event) => {
          if (event["detail-type"] === "CodePipeline Pipeline Execution State Change" && event.detail.state !== "STARTED") resolve(event);
        }),
      );
      real.emulator.call("StartPipelineExecution", { name: pipeline.name });
      expect((await finished).detail.state).toBe("SUCCEEDED");
      expect(() => real.emulator.advance(1)).toThrow("manual scheduler");
    } finally {
      await real.close();
    }
  });
});

describe("admin API", () => {
  it("injects throttling and 500s for the next calls and counts calls per operation", async () => {
    expect((await admin("POST", "/_emulator/faults/throttle", { count: 1, operation: "GetPipeline" })).status).toBe(200);
    await admin("POST", "/_emulator/faults/error", { count: 1 });
    const throttled = await aws("GetPipeline", { name: pipeline.name });
    expect(throttled).toEqual({ status: 400, body: { __type: "ThrottlingException", message: "Rate exceeded" } });
    const failed = await aws("GetPipeline", { name: pipeline.name });
    expect(failed.status).toBe(500);
    expect((await aws("GetPipeline", { name: pipeline.name })).status).toBe(200);

    const stats = (await admin("GET", "/_emulator/stats")).body;
    expect(stats).toMatchObject({ calls: { GetPipeline: 3 }, totalCalls: 3, throttled: 1, serverErrors: 1 });
    await admin("POST", "/_emulator/reset", { what: "stats" });
    expect((await admin("GET", "/_emulator/stats")).body.totalCalls).toBe(0);
  });

  it("fails a stage for one sha and moves the manual clock", async () => {
    await admin("POST", "/_emulator/faults/fail-stage", { stage: "Deploy", sha: SHA.slice(0, 7), message: "health checks failed" });
    const id = (await start()).body.pipelineExecutionId;
    expect((await admin("POST", "/_emulator/clock/advance", { ms: 1_500 })).status).toBe(200);
    const execution = (await aws("GetPipelineExecution", { pipelineName: pipeline.name, pipelineExecutionId: id })).body.pipelineExecution;
    expect(execution).toMatchObject({ status: "Failed", statusSummary: "Deploy: health checks failed" });
    expect((await admin("POST", "/_emulator/faults/fail-stage", {})).status).toBe(400);
    expect((await admin("GET", "/_emulator/nothing")).status).toBe(404);
  });

  it("produces the same faults for the same chaos seed", () => {
    const outcomes = (seed: number) => {
      const emulator = new Emulator({ pipelines: [pipeline], scheduler: "manual" });
      emulator.setChaos({ throttleRate: 0.2, errorRate: 0.2, seed });
      return Array.from({ length: 50 }, () => {
        try {
          emulator.call("GetPipeline", { name: pipeline.name });
          return "ok";
        } catch (error) {
          return (error as Error).name;
        }
      });
    };
    const run = outcomes(7);
    expect(outcomes(7)).toEqual(run);
    expect(run).toContain("ThrottlingException");
    expect(run).toContain("InternalFailure");
    expect(run.filter((o) => o === "ok").length).toBeGreaterThan(20);
  });
});

describe("EventBridge events", () => {
  let receiver: Server;
  let received: { token: string | undefined; event: PipelineEvent }[];

  beforeEach(async () => {
    received = [];
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({ token: req.headers["x-whistlestop-token"] as string | undefined, event: JSON.parse(body) as PipelineEvent });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("posts state changes in order with the shared token", async () => {
    const { port } = receiver.address() as AddressInfo;
    running.emulator.setEventTarget({ url: `http://127.0.0.1:${port}/api/pipeline-events`, token: "s3cret" });
    const id = (await start()).body.pipelineExecutionId;
    running.emulator.runUntilIdle();
    await running.emulator.flushEvents();

    expect(received.every((r) => r.token === "s3cret")).toBe(true);
    const pipelineStates = received.filter((r) => r.event["detail-type"] === "CodePipeline Pipeline Execution State Change").map((r) => r.event.detail.state);
    expect(pipelineStates).toEqual(["STARTED", "SUCCEEDED"]);
    const bake = received.find((r) => r.event["detail-type"] === "CodePipeline Action Execution State Change" && r.event.detail.stage === "Bake" && r.event.detail.state === "SUCCEEDED");
    expect(bake?.event).toMatchObject({ source: "aws.codepipeline", region: "us-east-1", detail: { pipeline: pipeline.name, "execution-id": id, action: "Bake", version: 1 } });
    const stageStates = received.filter((r) => r.event["detail-type"] === "CodePipeline Stage Execution State Change").map((r) => `${r.event.detail.stage}:${r.event.detail.state}`);
    expect(stageStates).toEqual(["Source:STARTED", "Source:SUCCEEDED", "Bake:STARTED", "Bake:SUCCEEDED", "Deploy:STARTED", "Deploy:SUCCEEDED"]);
    expect(running.emulator.stats().eventsDelivered).toBe(received.length);
  });
});
