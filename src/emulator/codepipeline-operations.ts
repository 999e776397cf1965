import { createHash } from "node:crypto";
import { AwsServiceError, executionNotFound, validation } from "./aws-service-error.js";
import {
  actionExecutionView,
  executionSummaryView,
  pipelineArn,
  pipelineDeclaration,
  pipelineExecutionView,
  pipelineStateView,
  seconds,
} from "./execution-views.js";
import type { PipelineRuntime } from "./pipeline-runtime.js";

/** What the operations need from the emulator. */
export interface OperationContext {
  readonly region: string;
  readonly account: string;
  runtime(name: string): PipelineRuntime;
  runtimes(): readonly PipelineRuntime[];
}

type Input = Record<string, unknown>;
type Operation = (ctx: OperationContext, input: Input) => unknown;

const NAME = /^[A-Za-z0-9.@_-]{1,100}$/;
const TOKEN = /^[a-zA-Z0-9-]{1,128}$/;
const VARIABLE_NAME = /^[A-Za-z0-9@_-]{1,128}$/;
/** DisableStageTransition's reason pattern (Whistlestop sanitizes its freeze reasons to fit it). */
const TRANSITION_REASON = /^[a-zA-Z0-9!@ ().*?-]{1,300}$/;
const REVISION_TYPES = ["COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"];
const CHANGED_BY = "arn:aws:sts::{account}:assumed-role/whistlestop/whistlestop";

function text(input: Input, field: string, pattern?: RegExp): string {
  const value = input[field];
  if (typeof value !== "string" || value.length === 0) throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  if (pattern && !pattern.test(value)) throw validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  return value;
}

function optionalText(input: Input, field: string, maxLength: number): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw validation(`Value at '${field}' must be a string`);
  if (value.length > maxLength) throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`);
  return value;
}

function list(input: Input, field: string): Input[] {
  const value = input[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "object" || v === null)) throw validation(`Value at '${field}' must be a list of structures`);
  return value as Input[];
}

/** Offset-based pages behind an opaque token, like the service's own nextToken. */
function page<T>(items: readonly T[], input: Input, limit: number): { items: T[]; nextToken?: string } {
  const max = input.maxResults === undefined ? limit : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > limit) throw validation(`Value at 'maxResults' must be between 1 and ${limit}`);
  let offset = 0;
  if (typeof input.nextToken === "string") {
    offset = Number(Buffer.from(input.nextToken, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) throw new AwsServiceError("InvalidNextTokenException", "The next token was specified in an invalid format");
  }
  const slice = items.slice(offset, offset + max);
  const next = offset + max;
  return next < items.length ? { items: slice, nextToken: Buffer.from(String(next)).toString("base64url") } : { items: slice };
}

function startPipelineExecution(ctx: OperationContext, input: Input) {
  const runtime = ctx.runtime(text(input, "name", NAME));
  const { definition } = runtime;
  const token = input.clientRequestToken === undefined ? undefined : text(input, "clientRequestToken", TOKEN);
  const sourceActions = definition.stages[0]!.actions.map((a) => a.name);
  let sha: string | undefined;
  let sourceActionName = sourceActions[0]!;
  for (const revision of list(input, "sourceRevisions")) {
    const actionName = text(revision, "actionName");
    if (!sourceActions.includes(actionName)) throw validation(`Source revision override for action ${actionName}: no such source action in pipeline ${definition.name}`);
    if (!REVISION_TYPES.includes(text(revision, "revisionType"))) throw validation(`Invalid revisionType for action ${actionName}`);
    sha = text(revision, "revisionValue");
    sourceActionName = actionName;
  }
  const variables: Record<string, string> = {};
  for (const variable of list(input, "variables")) {
    const name = text(variable, "name", VARIABLE_NAME);
    if (!definition.variables.includes(name)) throw validation(`Pipeline variable ${name} is not declared in pipeline ${definition.name}`);
    const value = text(variable, "value");
    if (value.length > 1000) throw validation(`Value of pipeline variable ${name} is longer than 1000 characters`);
    variables[name] = value;
  }
  // Without an override the pipeline takes "the latest commit"; make one up that stays stable per token.
  sha ??= createHash("sha1").update(token ?? String(runtime.executions.length)).digest("hex");
  const execution = runtime.start({ sha, sourceActionName, variables, clientRequestToken: token });
  return { pipelineExecutionId: execution.id };
}

function findExecution(ctx: OperationContext, input: Input) {
  const runtime = ctx.runtime(text(input, "pipelineName", NAME));
  const id = text(input, "pipelineExecutionId");
  const execution = runtime.find(id);
  if (!execution) throw executionNotFound(runtime.definition.name, id);
  return { runtime, execution };
}

function listActionExecutions(ctx: OperationContext, input: Input) {
  const runtime = ctx.runtime(text(input, "pipelineName", NAME));
  const filter = (input.filter ?? {}) as Input;
  let executions = runtime.executions;
  if (filter.pipelineExecutionId !== undefined) {
    const id = text(filter, "pipelineExecutionId");
    const execution = runtime.find(id);
    if (!execution) throw executionNotFound(runtime.definition.name, id);
    executions = [execution];
  }
  // Newest first, as the service lists them.
  const details = executions
    .flatMap((execution) => execution.actions.map((action) => ({ execution, action })))
    .sort((a, b) => b.action.startTime - a.action.startTime)
    .map(({ execution, action }) => actionExecutionView(execution, action, ctx.region));
  const result = page(details, input, 100);
  return { actionExecutionDetails: result.items, ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
}

function listPipelineExecutions(ctx: OperationContext, input: Input) {
  const runtime = ctx.runtime(text(input, "pipelineName", NAME));
  const succeededIn = ((input.filter as Input | undefined)?.succeededInStage as Input | undefined)?.stageName;
  const executions = [...runtime.executions]
    .reverse()
    .filter((e) => typeof succeededIn !== "string" || e.stages.some((s) => s.name === succeededIn && s.status === "Succeeded"));
  const result = page(executions.map(executionSummaryView), input, 100);
  return { pipelineExecutionSummaries: result.items, ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
}

function stageTransition(enabled: boolean): Operation {
  return (ctx, input) => {
    const runtime = ctx.runtime(text(input, "pipelineName", NAME));
    let stageName = text(input, "stageName", NAME);
    const transitionType = text(input, "transitionType");
    if (transitionType !== "Inbound" && transitionType !== "Outbound") throw validation(`Invalid transitionType ${transitionType}`);
    const reason = enabled ? undefined : text(input, "reason", TRANSITION_REASON);
    if (transitionType === "Outbound") {
      // A stage's outbound transition is the next stage's inbound one.
      const next = runtime.definition.stages[runtime.stageIndex(stageName) + 1];
      if (!next) throw validation(`Stage ${stageName} is the last stage and has no outbound transition`);
      stageName = next.name;
    }
    runtime.setInboundTransition(stageName, enabled, reason, CHANGED_BY.replace("{account}", ctx.account));
    return {};
  };
}

/** The CodePipeline operations the emulator serves, by X-Amz-Target operation name. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  StartPipelineExecution: startPipelineExecution,
  GetPipelineExecution: (ctx, input) => ({ pipelineExecution: pipelineExecutionView(findExecution(ctx, input).execution) }),
  ListActionExecutions: listActionExecutions,
  ListPipelineExecutions: listPipelineExecutions,
  StopPipelineExecution: (ctx, input) => {
    const { runtime, execution } = findExecution(ctx, input);
    runtime.stop(execution.id, input.abandon === true, optionalText(input, "reason", 200));
    return { pipelineExecutionId: execution.id };
  },
  RollbackStage: (ctx, input) => {
    const runtime = ctx.runtime(text(input, "pipelineName", NAME));
    const execution = runtime.rollback(text(input, "stageName", NAME), text(input, "targetPipelineExecutionId"));
    return { pipelineExecutionId: execution.id };
  },
  DisableStageTransition: stageTransition(false),
  EnableStageTransition: stageTransition(true),
  GetPipeline: (ctx, input) => {
    const runtime = ctx.runtime(text(input, "name", NAME));
    return {
      pipeline: pipelineDeclaration(runtime.definition, ctx.region, ctx.account),
      metadata: {
        pipelineArn: pipelineArn(ctx.region, ctx.account, runtime.definition.name),
        created: seconds(runtime.createdAt),
        updated: seconds(runtime.createdAt),
      },
    };
  },
  GetPipelineState: (ctx, input) => pipelineStateView(ctx.runtime(text(input, "name", NAME))),
  ListPipelines: (ctx, input) => {
    const summaries = ctx.runtimes().map((r) => ({
      name: r.definition.name,
      version: 1,
      pipelineType: "V2",
      executionMode: "SUPERSEDED",
      created: seconds(r.createdAt),
      updated: seconds(r.createdAt),
    }));
    const result = page(summaries, input, 1000);
    return { pipelines: result.items, ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  },
};
