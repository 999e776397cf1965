import type { ActionExecutionDetail, PipelineExecution } from "@aws-sdk/client-codepipeline";
import type { ActionProgress, StageProgress, StageStatus } from "../../core/model/deploy.js";
import type { ExecutionSnapshot, ExecutionStatus } from "../../core/ports/pipeline.js";
import type { PipelineShape } from "./pipeline-shape-cache.js";

/** Output variables that name the built artifact, in order of preference. */
export const ARTIFACT_VARIABLES = ["AMI_ID", "IMAGE_ID", "ARTIFACT"] as const;

const ACTION_STATUS: Record<string, StageStatus> = { InProgress: "running", Succeeded: "succeeded", Failed: "failed", Abandoned: "cancelled" };

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

/**
 * CodePipeline's view of one execution → the port's snapshot: every stage of the pipeline in its
 * order (stages the execution has not reached are "waiting" while it runs, "skipped" once it ended).
 */
export function buildExecutionSnapshot(
  shape: PipelineShape,
  execution: PipelineExecution,
  details: readonly ActionExecutionDetail[],
  url: string,
): ExecutionSnapshot {
  const status = (execution.status ?? "InProgress") as ExecutionStatus;
  const running = status === "InProgress" || status === "Stopping";
  // A rollback runs one stage; the others will never run, so they are not "waiting".
  const pending: StageStatus = running && execution.executionType !== "ROLLBACK" ? "waiting" : "skipped";
  const latest = latestPerAction(details);
  const declared = new Set(shape.stages.map((s) => s.name));
  const extraStages = [...new Set([...latest.values()].map((d) => d.stageName ?? "").filter((n) => n && !declared.has(n)))];
  const stageList = [...shape.stages, ...extraStages.map((name) => ({ name, actions: [] as string[] }))];

  const stages = stageList.map((stage): StageProgress => {
    const runs = [...latest.values()].filter((d) => d.stageName === stage.name);
    const actions = runs.map(toActionProgress);
    const stageStatus = stageStatusOf(actions, stage.actions, status, pending);
    const started = runs.map((r) => r.startTime?.getTime()).filter((t): t is number => t !== undefined);
    const updated = runs.map((r) => r.lastUpdateTime?.getTime()).filter((t): t is number => t !== undefined);
    const finished = stageStatus !== "running" && stageStatus !== "waiting" && updated.length > 0;
    return {
      name: stage.name,
      status: stageStatus,
      ...(started.length ? { startedAt: new Date(Math.min(...started)).toISOString() } : {}),
      ...(finished ? { finishedAt: new Date(Math.max(...updated)).toISOString() } : {}),
      ...(actions.length ? { actions } : {}),
    };
  });

  const allActions = stages.flatMap((s) => s.actions ?? []);
  const artifact = ARTIFACT_VARIABLES.map((name) => allActions.find((a) => a.outputVariables?.[name])?.outputVariables?.[name]).find(Boolean);
  const failed = allActions.find((a) => a.status === "failed");
  const error = failed
    ? `${failed.name}: ${failed.errorMessage ?? failed.errorCode ?? "failed"}`
    : status === "Failed" && execution.statusSummary
      ? execution.statusSummary
      : undefined;
  return {
    executionId: execution.pipelineExecutionId ?? "",
    status,
    stages,
    ...(artifact ? { artifact } : {}),
    ...(error ? { error } : {}),
    url,
  };
}

/** A retried action appears several times in one execution; the newest run is the one that counts. */
function latestPerAction(details: readonly ActionExecutionDetail[]): Map<string, ActionExecutionDetail> {
  const sorted = [...details].sort((a, b) => (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0));
  return new Map(sorted.map((d) => [`${d.stageName}\u0000${d.actionName}`, d]));
}

function toActionProgress(detail: ActionExecutionDetail): ActionProgress {
  const result = detail.output?.executionResult;
  const status = ACTION_STATUS[detail.status ?? ""] ?? "running";
  const variables = detail.output?.outputVariables;
  return {
    name: detail.actionName ?? "",
    status,
    ...(detail.startTime ? { startedAt: iso(detail.startTime) } : {}),
    ...(status !== "running" && detail.lastUpdateTime ? { finishedAt: iso(detail.lastUpdateTime) } : {}),
    ...(result?.externalExecutionUrl ? { url: result.externalExecutionUrl } : {}),
    ...(result?.errorDetails?.code ? { errorCode: result.errorDetails.code } : {}),
    ...(result?.errorDetails?.message ? { errorMessage: result.errorDetails.message } : {}),
    ...(variables && Object.keys(variables).length ? { outputVariables: variables } : {}),
  };
}

function stageStatusOf(actions: readonly ActionProgress[], declared: readonly string[], execution: ExecutionStatus, notReached: StageStatus): StageStatus {
  if (actions.some((a) => a.status === "failed")) return "failed";
  if (actions.some((a) => a.status === "running")) return "running";
  if (actions.some((a) => a.status === "cancelled")) return "cancelled";
  if (actions.length === 0) return notReached;
  const done = new Set(actions.filter((a) => a.status === "succeeded").map((a) => a.name));
  if (execution === "Succeeded" || declared.every((name) => done.has(name))) return "succeeded";
  // Between two actions of the stage: the next one has not been reported yet.
  return execution === "InProgress" || execution === "Stopping" ? "running" : "cancelled";
}
