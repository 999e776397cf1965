/** What the emulator remembers about one pipeline execution, in CodePipeline's own vocabulary. */
export type PipelineExecutionStatus = "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Superseded" | "Failed" | "Cancelled";
export type StageExecutionStatus = "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Failed" | "Cancelled" | "Skipped";
export type ActionExecutionStatus = "InProgress" | "Succeeded" | "Failed" | "Abandoned";
export type ExecutionType = "STANDARD" | "ROLLBACK";

export interface ActionRecord {
  readonly actionExecutionId: string;
  readonly stageName: string;
  readonly actionName: string;
  status: ActionExecutionStatus;
  readonly startTime: number;
  lastUpdateTime: number;
  externalExecutionId: string;
  externalExecutionUrl: string;
  summary?: string;
  outputVariables?: Record<string, string>;
  errorDetails?: { code: string; message: string };
}

export interface StageRecord {
  readonly name: string;
  status: StageExecutionStatus;
  readonly enteredAt: number;
}

export interface ExecutionRecord {
  readonly id: string;
  readonly pipelineName: string;
  readonly type: ExecutionType;
  status: PipelineExecutionStatus;
  statusSummary?: string;
  readonly sha: string;
  readonly sourceActionName: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly triggerType: "StartPipelineExecution" | "ManualRollback";
  readonly startTime: number;
  lastUpdateTime: number;
  stopReason?: string;
  readonly rollbackTargetExecutionId?: string;
  /** The stage it is in, or is waiting to enter. */
  stageIndex: number;
  /** Index of the action running in `stageIndex`; -1 while waiting to enter the stage. */
  actionIndex: number;
  /** Rollbacks run one stage only. */
  readonly lastStageIndex: number;
  /** Per stage, in the order entered. */
  readonly stages: StageRecord[];
  /** In the order started. */
  readonly actions: ActionRecord[];
  cancelTimer?: () => void;
}

export const isFinished = (status: PipelineExecutionStatus): boolean => status !== "InProgress" && status !== "Stopping";

const FINAL_EVENT_STATE: Partial<Record<PipelineExecutionStatus, string>> = {
  Succeeded: "SUCCEEDED",
  Failed: "FAILED",
  Stopped: "STOPPED",
  Superseded: "SUPERSEDED",
  Cancelled: "CANCELED",
};

/** An execution's state as EventBridge spells it ("CANCELED" with one L, as AWS does). */
export const executionEventState = (status: PipelineExecutionStatus): string => FINAL_EVENT_STATE[status] ?? status.toUpperCase();
