import type { PipelineDefinition } from "./emulator-pipeline.js";
import type { ActionRecord, ExecutionRecord } from "./execution-record.js";
import type { PipelineRuntime, TransitionRecord } from "./pipeline-runtime.js";

/** Records → the JSON CodePipeline returns. Timestamps are epoch seconds, as in AWS JSON protocols. */
export const seconds = (ms: number): number => ms / 1000;

const ARTIFACT_NAME = "SourceArtifact";

export function pipelineArn(region: string, account: string, name: string): string {
  return `arn:aws:codepipeline:${region}:${account}:${name}`;
}

export function pipelineDeclaration(definition: PipelineDefinition, region: string, account: string) {
  return {
    name: definition.name,
    roleArn: `arn:aws:iam::${account}:role/${definition.name}-pipeline`,
    artifactStore: { type: "S3", location: `codepipeline-${region}-${account}` },
    stages: definition.stages.map((stage, index) => ({
      name: stage.name,
      actions: stage.actions.map((action) => ({
        name: action.name,
        actionTypeId: { category: action.category, owner: "AWS", provider: action.provider, version: "1" },
        runOrder: action.runOrder,
        configuration: action.category === "Source" && definition.repo ? { FullRepositoryId: definition.repo, BranchName: "main" } : {},
        ...(index === 0 ? { outputArtifacts: [{ name: ARTIFACT_NAME }] } : { inputArtifacts: [{ name: ARTIFACT_NAME }] }),
        ...(action.outputsImage ? { namespace: `${stage.name}Variables`, outputVariables: ["AMI_ID"] } : {}),
      })),
    })),
    version: 1,
    executionMode: "SUPERSEDED",
    pipelineType: "V2",
    variables: definition.variables.map((name) => ({ name, description: `Set by Whistlestop (${name})` })),
  };
}

export function pipelineExecutionView(execution: ExecutionRecord) {
  return {
    pipelineName: execution.pipelineName,
    pipelineVersion: 1,
    pipelineExecutionId: execution.id,
    status: execution.status,
    ...(execution.statusSummary ? { statusSummary: execution.statusSummary } : {}),
    artifactRevisions: [{ name: ARTIFACT_NAME, revisionId: execution.sha, revisionSummary: `Commit ${execution.sha.slice(0, 7)}`, created: seconds(execution.startTime) }],
    variables: Object.entries(execution.variables).map(([name, resolvedValue]) => ({ name, resolvedValue })),
    trigger: { triggerType: execution.triggerType, triggerDetail: "whistlestop-emulator" },
    executionMode: "SUPERSEDED",
    executionType: execution.type,
    ...rollbackMetadata(execution),
  };
}

export function executionSummaryView(execution: ExecutionRecord) {
  return {
    pipelineExecutionId: execution.id,
    status: execution.status,
    ...(execution.statusSummary ? { statusSummary: execution.statusSummary } : {}),
    startTime: seconds(execution.startTime),
    lastUpdateTime: seconds(execution.lastUpdateTime),
    sourceRevisions: [{ actionName: execution.sourceActionName, revisionId: execution.sha, revisionSummary: `Commit ${execution.sha.slice(0, 7)}` }],
    trigger: { triggerType: execution.triggerType, triggerDetail: "whistlestop-emulator" },
    ...(execution.stopReason !== undefined ? { stopTrigger: { reason: execution.stopReason } } : {}),
    executionMode: "SUPERSEDED",
    executionType: execution.type,
    ...rollbackMetadata(execution),
  };
}

export function actionExecutionView(execution: ExecutionRecord, action: ActionRecord, region: string) {
  return {
    pipelineExecutionId: execution.id,
    actionExecutionId: action.actionExecutionId,
    pipelineVersion: 1,
    stageName: action.stageName,
    actionName: action.actionName,
    startTime: seconds(action.startTime),
    lastUpdateTime: seconds(action.lastUpdateTime),
    status: action.status,
    input: { region, configuration: {}, resolvedConfiguration: {} },
    output: {
      executionResult: {
        externalExecutionId: action.externalExecutionId,
        externalExecutionUrl: action.externalExecutionUrl,
        ...(action.summary ? { externalExecutionSummary: action.summary } : {}),
        ...(action.errorDetails ? { errorDetails: action.errorDetails } : {}),
      },
      outputVariables: action.outputVariables ?? {},
    },
  };
}

/** The pipeline's current picture: per stage, its inbound transition and the latest execution and actions. */
export function pipelineStateView(runtime: PipelineRuntime) {
  const { definition } = runtime;
  return {
    pipelineName: definition.name,
    pipelineVersion: 1,
    created: seconds(runtime.createdAt),
    updated: seconds(runtime.createdAt),
    stageStates: definition.stages.map((stage) => {
      const latest = latestIn(runtime.executions, (e) => e.stages.some((s) => s.name === stage.name));
      const stageRecord = latest?.stages.findLast((s) => s.name === stage.name);
      return {
        stageName: stage.name,
        inboundTransitionState: transitionView(runtime.inboundTransition(stage.name)),
        actionStates: stage.actions.map((definitionAction) => {
          const run = latest?.actions.findLast((a) => a.stageName === stage.name && a.actionName === definitionAction.name);
          return { actionName: definitionAction.name, ...(run ? { latestExecution: actionStateView(run) } : {}) };
        }),
        ...(latest && stageRecord ? { latestExecution: { pipelineExecutionId: latest.id, status: stageRecord.status, type: latest.type } } : {}),
      };
    }),
  };
}

function transitionView(transition: TransitionRecord) {
  return {
    enabled: transition.enabled,
    ...(transition.lastChangedAt !== undefined ? { lastChangedAt: seconds(transition.lastChangedAt) } : {}),
    ...(transition.lastChangedBy ? { lastChangedBy: transition.lastChangedBy } : {}),
    ...(transition.disabledReason ? { disabledReason: transition.disabledReason } : {}),
  };
}

function actionStateView(action: ActionRecord) {
  return {
    actionExecutionId: action.actionExecutionId,
    status: action.status,
    ...(action.summary ? { summary: action.summary } : {}),
    lastStatusChange: seconds(action.lastUpdateTime),
    externalExecutionId: action.externalExecutionId,
    externalExecutionUrl: action.externalExecutionUrl,
    ...(action.errorDetails ? { errorDetails: action.errorDetails } : {}),
  };
}

function rollbackMetadata(execution: ExecutionRecord) {
  return execution.rollbackTargetExecutionId ? { rollbackMetadata: { rollbackTargetPipelineExecutionId: execution.rollbackTargetExecutionId } } : {};
}

function latestIn<T>(items: readonly T[], match: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i -= 1) if (match(items[i]!)) return items[i];
  return undefined;
}
