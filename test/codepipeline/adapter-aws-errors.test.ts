// AWS error shapes as CodePipeline sends them, against a mocked endpoint: retries and messages.
import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { CodePipelineAdapter } from "../../src/adapters/codepipeline/codepipeline-adapter.js";
import { rejection } from "./pipeline-rejection.js";
import { aStartRequest } from "../kit/builders.js";
import { testClient } from "./sdk-client.js";

const ENDPOINT = "https://codepipeline.us-east-1.amazonaws.com";
const TARGET = "CodePipeline_20150709.";
const EXECUTION_ID = "0b6a1a52-4a0b-4b0c-9a3e-1f2d3c4b5a69";
const declaration = {
  pipeline: { name: "donations-prod", roleArn: "arn:aws:iam::1:role/x", stages: [{ name: "Source", actions: [{ name: "Source" }] }, { name: "Deploy", actions: [{ name: "Deploy" }] }] },
};
const request = aStartRequest({ pipelineName: "donations-prod", sha: "f".repeat(40), deployId: "dep-1" });

let client: CodePipelineClient;
let adapter: CodePipelineAdapter;

const awsError = (type: string, message: string) => ({ __type: type, message });
/** nock hands over non-"application/json" bodies as text. */
const field = (body: unknown, name: string): unknown => (JSON.parse(String(body)) as Record<string, unknown>)[name];
const json = { "content-type": "application/x-amz-json-1.1" };

function expectCall(operation: string) {
  return nock(ENDPOINT).post("/").matchHeader("x-amz-target", TARGET + operation);
}


beforeAll(() => nock.disableNetConnect());
// restore(): nock patches Node's http module, which later test files in this Jest worker share;
// left active, it breaks their raw requests (the API fuzz test's odd paths become "Invalid URL").
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(() => {
  client = testClient(ENDPOINT, 4);
  adapter = new CodePipelineAdapter(client);
});

afterEach(() => {
  client.destroy();
  nock.cleanAll();
});

describe("retries", () => {
  it("retries ThrottlingException and succeeds, starting with the same request token each time", async () => {
    expectCall("GetPipeline").reply(200, declaration, json);
    const tokens: string[] = [];
    const start = expectCall("StartPipelineExecution");
    start
      .times(2)
      .reply(400, (_uri, body) => {
        tokens.push(String(field(body, "clientRequestToken")));
        return awsError("ThrottlingException", "Rate exceeded");
      }, json);
    expectCall("StartPipelineExecution").reply(200, (_uri, body) => {
      tokens.push(String(field(body, "clientRequestToken")));
      return { pipelineExecutionId: EXECUTION_ID };
    }, json);

    await expect(adapter.start(request)).resolves.toEqual({ executionId: EXECUTION_ID });
    expect(tokens).toEqual(["dep-1", "dep-1", "dep-1"]);
    expect(nock.isDone()).toBe(true);
  });

  it("gives up on a persistent 500 with a retryable PipelineError after the configured attempts", async () => {
    const scope = expectCall("GetPipelineExecution").times(4).reply(500, awsError("InternalFailure", "boom"), json);
    expectCall("GetPipeline").reply(200, declaration, json);
    expectCall("ListActionExecutions").reply(200, { actionExecutionDetails: [] }, json);

    const error = await rejection(adapter.getExecution("donations-prod", EXECUTION_ID));
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(error.message).toContain("after 4 attempts");
    expect(scope.isDone()).toBe(true);
  });

  it("reports throttling that never ends as retryable", async () => {
    expectCall("EnableStageTransition").times(4).reply(400, awsError("ThrottlingException", "Rate exceeded"), json);
    const error = await rejection(adapter.setInboundTransition("donations-prod", "Deploy", true, ""));
    expect(error).toMatchObject({ code: "throttled", retryable: true });
  });
});

describe("errors the user must act on", () => {
  it("explains a missing pipeline without retrying", async () => {
    const scope = expectCall("GetPipeline").once().reply(400, awsError("PipelineNotFoundException", "Account '1' does not have a pipeline with name 'donations-prod'"), json);
    const error = await rejection(adapter.start(request));
    expect(error).toMatchObject({ code: "pipeline_not_found", retryable: false });
    expect(error.message).toMatch(/^pipeline donations-prod not found in us-east-1 — check /);
    expect(scope.isDone()).toBe(true);
  });

  it("says which permission is missing on AccessDeniedException", async () => {
    expectCall("StopPipelineExecution")
      .once()
      .reply(400, awsError("AccessDeniedException", "User is not authorized to perform: codepipeline:StopPipelineExecution"), json);
    const error = await rejection(adapter.stop("donations-prod", EXECUTION_ID, "cancel"));
    expect(error.code).toBe("access_denied");
    expect(error.message).toContain("codepipeline:StopPipelineExecution");
    expect(error.message).toContain("docs/aws.md");
  });

  it("points at the credentials when AWS does not recognise them", async () => {
    expectCall("RollbackStage").reply(400, awsError("UnrecognizedClientException", "The security token included in the request is invalid."), json);
    const error = await rejection(adapter.rollbackStage("donations-prod", "Deploy", EXECUTION_ID));
    expect(error).toMatchObject({ code: "credentials_invalid", retryable: false });
  });
});

describe("requests", () => {
  it("truncates the stop reason to CodePipeline's 200 characters and treats a repeated stop as done", async () => {
    let reason = "";
    expectCall("StopPipelineExecution").reply(200, (_uri, body) => {
      reason = String(field(body, "reason"));
      return { pipelineExecutionId: EXECUTION_ID };
    }, json);
    await adapter.stop("donations-prod", EXECUTION_ID, "x".repeat(500));
    expect(reason).toHaveLength(200);

    expectCall("StopPipelineExecution").reply(400, awsError("DuplicatedStopRequestException", "already stopping"), json);
    await expect(adapter.stop("donations-prod", EXECUTION_ID, "again")).resolves.toBeUndefined();
  });

  it("reads every page of action executions", async () => {
    let secondPageToken: unknown;
    expectCall("GetPipeline").reply(200, declaration, json);
    expectCall("GetPipelineExecution").reply(200, { pipelineExecution: { pipelineExecutionId: EXECUTION_ID, status: "InProgress" } }, json);
    const action = (stageName: string, status: string, startTime: number) => ({
      pipelineExecutionId: EXECUTION_ID,
      stageName,
      actionName: stageName,
      status,
      startTime,
      lastUpdateTime: startTime + 5,
    });
    expectCall("ListActionExecutions").reply(200, { actionExecutionDetails: [action("Deploy", "InProgress", 1_700_000_100)], nextToken: "p2" }, json);
    expectCall("ListActionExecutions")
      .matchHeader("x-amz-target", TARGET + "ListActionExecutions")
      .reply(200, (_uri, body) => {
        secondPageToken = field(body, "nextToken");
        return { actionExecutionDetails: [action("Source", "Succeeded", 1_700_000_000)] };
      }, json);

    const snapshot = await adapter.getExecution("donations-prod", EXECUTION_ID);
    expect(secondPageToken).toBe("p2");
    expect(snapshot.stages.map((s) => [s.name, s.status])).toEqual([
      ["Source", "succeeded"],
      ["Deploy", "running"],
    ]);
    expect(snapshot.stages[0]?.startedAt).toBe("2023-11-14T22:13:20.000Z");
  });
});
