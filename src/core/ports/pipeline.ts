import type { StageProgress } from "../model/deploy.js";

export interface StartRequest {
  readonly pipelineName: string;
  readonly sourceAction: string;
  readonly sha: string;
  /** Also the clientRequestToken: a retried start returns the same execution. */
  readonly deployId: string;
  readonly actor: string;
}

export type ExecutionStatus = "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Superseded" | "Failed" | "Cancelled";

export interface ExecutionSnapshot {
  readonly executionId: string;
  readonly status: ExecutionStatus;
  /** In pipeline order. */
  readonly stages: readonly StageProgress[];
  /** The baked image (an output variable such as AMI_ID), once known. */
  readonly artifact?: string;
  /** Error summary of the failed action, if any. */
  readonly error?: string;
  /** Console URL of the execution. */
  readonly url: string;
}

/** A pipeline call failed in a way the user can act on (not found, access denied, bad input). */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "PipelineError";
  }
}

/** The CodePipeline port: only the calls the orchestrator needs. */
export interface Pipeline {
  start(request: StartRequest): Promise<{ executionId: string }>;
  /**
   * A hint that `start` of this pipeline may follow shortly (a deploy is being decided): an
   * implementation may load what `start` needs meanwhile. Resolves when that is done; never rejects.
   */
  prepare(pipelineName: string): Promise<void>;
  getExecution(pipelineName: string, executionId: string): Promise<ExecutionSnapshot>;
  stop(pipelineName: string, executionId: string, reason: string): Promise<void>;
  /** Roll the stage back to the state of `targetExecutionId`; returns the rollback's execution. */
  rollbackStage(pipelineName: string, stageName: string, targetExecutionId: string): Promise<{ executionId: string }>;
  /** Enable or disable the inbound transition of `stageName` (hard freeze). */
  setInboundTransition(pipelineName: string, stageName: string, enabled: boolean, reason: string): Promise<void>;
  executionUrl(pipelineName: string, executionId: string): string;
}
