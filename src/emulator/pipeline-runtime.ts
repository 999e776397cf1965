import { randomUUID } from "node:crypto";
import { AwsServiceError, executionNotFound } from "./aws-service-error.js";
import { actionDetail, externalExecution, outputVariables } from "./action-results.js";
import type { PipelineDefinition } from "./emulator-pipeline.js";
import type { EventPublisher, PipelineEventKind } from "./event-publisher.js";
import type { ActionRecord, ExecutionRecord, PipelineExecutionStatus, StageExecutionStatus } from "./execution-record.js";
import { executionEventState, isFinished } from "./execution-record.js";
import type { FaultInjector } from "./fault-injector.js";
import type { Scheduler } from "./scheduler.js";

export interface RuntimeContext {
  readonly scheduler: Scheduler;
  readonly faults: FaultInjector;
  readonly events: EventPublisher;
  readonly region: string;
  readonly account: string;
  /** Read at every step so it can be changed while executions run. */
  stepMs(): number;
}

export interface TransitionRecord {
  readonly enabled: boolean;
  readonly lastChangedAt?: number;
  readonly lastChangedBy?: string;
  readonly disabledReason?: string;
}

export interface StartInput {
  readonly sha: string;
  readonly sourceActionName: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly clientRequestToken?: string;
}

/**
 * One pipeline's executions, run like CodePipeline's SUPERSEDED mode: a stage holds one execution
 * at a time; an execution waits before a busy stage or a disabled inbound transition, and a newer
 * execution waiting at the same place supersedes the older one.
 */
export class PipelineRuntime {
  /** In the order they started. */
  readonly executions: ExecutionRecord[] = [];
  readonly createdAt: number;
  private readonly byId = new Map<string, ExecutionRecord>();
  private readonly byToken = new Map<string, ExecutionRecord>();
  private readonly occupant = new Map<number, ExecutionRecord>();
  private readonly waiting = new Map<number, ExecutionRecord>();
  private readonly transitions = new Map<number, TransitionRecord>();

  constructor(
    readonly definition: PipelineDefinition,
    private readonly ctx: RuntimeContext,
  ) {
    this.createdAt = ctx.scheduler.now();
  }

  find(executionId: string): ExecutionRecord | undefined {
    return this.byId.get(executionId);
  }

  /** A repeated client request token returns the execution it first started. */
  start(input: StartInput): ExecutionRecord {
    const earlier = input.clientRequestToken ? this.byToken.get(input.clientRequestToken) : undefined;
    if (earlier) return earlier;
    const execution = this.create({ ...input, type: "STANDARD", stageIndex: 0, lastStageIndex: this.definition.stages.length - 1 });
    if (input.clientRequestToken) this.byToken.set(input.clientRequestToken, execution);
    this.enterOrWait(execution, 0);
    return execution;
  }

  rollback(stageName: string, targetExecutionId: string): ExecutionRecord {
    const stageIndex = this.stageIndex(stageName);
    if (stageIndex === 0) throw new AwsServiceError("UnableToRollbackStageException", `Cannot roll back source stage ${stageName}`);
    const target = this.byId.get(targetExecutionId);
    if (!target) throw executionNotFound(this.definition.name, targetExecutionId);
    if (target.type === "ROLLBACK") throw new AwsServiceError("UnableToRollbackStageException", `Cannot roll back to ${targetExecutionId}: it is a rollback execution`);
    if (!target.stages.some((s) => s.name === stageName && s.status === "Succeeded")) {
      throw new AwsServiceError("UnableToRollbackStageException", `Cannot roll back to ${targetExecutionId}: it did not succeed in stage ${stageName}`);
    }
    const running = this.occupant.get(stageIndex);
    if (running) throw new AwsServiceError("UnableToRollbackStageException", `Stage ${stageName} is currently running execution ${running.id}`);
    const execution = this.create({
      sha: target.sha,
      sourceActionName: target.sourceActionName,
      variables: target.variables,
      type: "ROLLBACK",
      stageIndex,
      lastStageIndex: stageIndex,
      rollbackTargetExecutionId: target.id,
    });
    this.enter(execution, stageIndex);
    return execution;
  }

  stop(executionId: string, abandon: boolean, reason: string | undefined): void {
    const execution = this.byId.get(executionId);
    if (!execution) throw executionNotFound(this.definition.name, executionId);
    if (isFinished(execution.status)) {
      throw new AwsServiceError("PipelineExecutionNotStoppableException", `Pipeline execution ${executionId} is ${execution.status} and cannot be stopped`);
    }
    if (execution.status === "Stopping" && !abandon) {
      throw new AwsServiceError("DuplicatedStopRequestException", `Pipeline execution ${executionId} is already stopping`);
    }
    execution.stopReason = reason;
    if (execution.status !== "Stopping") this.setStatus(execution, "Stopping");
    if (execution.actionIndex === -1) {
      if (this.waiting.get(execution.stageIndex) === execution) this.waiting.delete(execution.stageIndex);
      this.finish(execution, "Stopped");
      return;
    }
    if (!abandon) {
      this.setStageStatus(execution, "Stopping");
      return;
    }
    execution.cancelTimer?.();
    const action = this.currentAction(execution);
    this.updateAction(execution, action, "Abandoned");
    this.setStageStatus(execution, "Stopped");
    this.finish(execution, "Stopped");
    this.release(execution);
  }

  setInboundTransition(stageName: string, enabled: boolean, reason: string | undefined, changedBy: string): void {
    const index = this.stageIndex(stageName);
    this.transitions.set(index, { enabled, lastChangedAt: this.ctx.scheduler.now(), lastChangedBy: changedBy, ...(enabled ? {} : { disabledReason: reason }) });
    if (enabled) this.pump(index);
  }

  inboundTransition(stageName: string): TransitionRecord {
    return this.transitions.get(this.stageIndex(stageName)) ?? { enabled: true };
  }

  stageIndex(stageName: string): number {
    const index = this.definition.stages.findIndex((s) => s.name === stageName);
    if (index === -1) throw new AwsServiceError("StageNotFoundException", `Stage ${stageName} not found in pipeline ${this.definition.name}`);
    return index;
  }

  private create(input: Omit<StartInput, "clientRequestToken"> & Pick<ExecutionRecord, "type" | "stageIndex" | "lastStageIndex" | "rollbackTargetExecutionId">): ExecutionRecord {
    const now = this.ctx.scheduler.now();
    const execution: ExecutionRecord = {
      id: randomUUID(),
      pipelineName: this.definition.name,
      status: "InProgress",
      triggerType: input.type === "ROLLBACK" ? "ManualRollback" : "StartPipelineExecution",
      startTime: now,
      lastUpdateTime: now,
      actionIndex: -1,
      stages: [],
      actions: [],
      ...input,
    };
    this.executions.push(execution);
    this.byId.set(execution.id, execution);
    this.publish("Pipeline Execution", execution, { state: "STARTED" });
    return execution;
  }

  private canEnter(execution: ExecutionRecord, index: number): boolean {
    if (this.occupant.has(index)) return false;
    return index === 0 || execution.type === "ROLLBACK" || (this.transitions.get(index)?.enabled ?? true);
  }

  private enterOrWait(execution: ExecutionRecord, index: number): void {
    execution.stageIndex = index;
    execution.actionIndex = -1;
    if (this.canEnter(execution, index)) return this.enter(execution, index);
    const older = this.waiting.get(index);
    this.waiting.set(index, execution);
    if (older && older !== execution) this.finish(older, "Superseded", `Superseded by ${execution.id}`);
  }

  private enter(execution: ExecutionRecord, index: number): void {
    if (this.waiting.get(index) === execution) this.waiting.delete(index);
    this.occupant.set(index, execution);
    execution.stageIndex = index;
    execution.stages.push({ name: this.definition.stages[index]!.name, status: "InProgress", enteredAt: this.ctx.scheduler.now() });
    this.publish("Stage Execution", execution, { stage: this.definition.stages[index]!.name, state: "STARTED" });
    this.startAction(execution, 0);
  }

  private pump(index: number): void {
    const next = this.waiting.get(index);
    if (next && this.canEnter(next, index)) this.enter(next, index);
  }

  private release(execution: ExecutionRecord): void {
    const index = execution.stageIndex;
    if (this.occupant.get(index) !== execution) return;
    this.occupant.delete(index);
    this.pump(index);
  }

  private startAction(execution: ExecutionRecord, actionIndex: number): void {
    const stage = this.definition.stages[execution.stageIndex]!;
    const definition = stage.actions[actionIndex]!;
    const now = this.ctx.scheduler.now();
    const external = externalExecution(this.definition, definition, execution.sha, this.ctx.region);
    const action: ActionRecord = {
      actionExecutionId: randomUUID(),
      stageName: stage.name,
      actionName: definition.name,
      status: "InProgress",
      startTime: now,
      lastUpdateTime: now,
      externalExecutionId: external.id,
      externalExecutionUrl: external.url,
    };
    execution.actionIndex = actionIndex;
    execution.actions.push(action);
    this.publish("Action Execution", execution, actionDetail(action, definition, this.ctx.region, "STARTED"));
    execution.cancelTimer = this.ctx.scheduler.schedule(this.ctx.stepMs(), () => this.finishAction(execution));
  }

  private finishAction(execution: ExecutionRecord): void {
    execution.cancelTimer = undefined;
    const stage = this.definition.stages[execution.stageIndex]!;
    const definition = stage.actions[execution.actionIndex]!;
    const action = this.currentAction(execution);
    const failure = this.ctx.faults.stageFault(this.definition.name, stage.name, execution.sha);
    if (failure) {
      action.errorDetails = { code: "JobFailed", message: failure };
      action.summary = failure;
      this.updateAction(execution, action, "Failed");
      this.setStageStatus(execution, "Failed");
      this.finish(execution, "Failed", `${definition.name}: ${failure}`);
      return this.release(execution);
    }
    action.outputVariables = outputVariables(definition, execution.sha, this.definition.repo);
    action.summary = `${definition.name} succeeded`;
    this.updateAction(execution, action, "Succeeded");
    if (execution.status === "Stopping") {
      this.setStageStatus(execution, "Stopped");
      this.finish(execution, "Stopped");
      return this.release(execution);
    }
    if (execution.actionIndex < stage.actions.length - 1) return this.startAction(execution, execution.actionIndex + 1);
    this.setStageStatus(execution, "Succeeded");
    const finishedStage = execution.stageIndex;
    if (finishedStage === execution.lastStageIndex) {
      this.finish(execution, "Succeeded");
      return this.release(execution);
    }
    this.occupant.delete(finishedStage);
    this.enterOrWait(execution, finishedStage + 1);
    this.pump(finishedStage);
  }

  private currentAction(execution: ExecutionRecord): ActionRecord {
    return execution.actions[execution.actions.length - 1]!;
  }

  private updateAction(execution: ExecutionRecord, action: ActionRecord, status: ActionRecord["status"]): void {
    action.status = status;
    action.lastUpdateTime = this.ctx.scheduler.now();
    const definition = this.definition.stages[execution.stageIndex]!.actions.find((a) => a.name === action.actionName)!;
    this.publish("Action Execution", execution, actionDetail(action, definition, this.ctx.region, status === "Abandoned" ? "ABANDONED" : status.toUpperCase()));
  }

  private setStageStatus(execution: ExecutionRecord, status: StageExecutionStatus): void {
    const stage = execution.stages[execution.stages.length - 1]!;
    stage.status = status;
    this.publish("Stage Execution", execution, { stage: stage.name, state: status.toUpperCase() });
  }

  private setStatus(execution: ExecutionRecord, status: PipelineExecutionStatus, summary?: string): void {
    execution.status = status;
    execution.lastUpdateTime = this.ctx.scheduler.now();
    if (summary) execution.statusSummary = summary;
    this.publish("Pipeline Execution", execution, { state: executionEventState(status) });
  }

  private finish(execution: ExecutionRecord, status: PipelineExecutionStatus, summary?: string): void {
    execution.cancelTimer?.();
    execution.cancelTimer = undefined;
    this.setStatus(execution, status, summary);
  }

  private publish(kind: PipelineEventKind, execution: ExecutionRecord, detail: Record<string, unknown> & { state: string }): void {
    this.ctx.events.publish(kind, this.ctx.scheduler.now(), {
      pipeline: this.definition.name,
      "execution-id": execution.id,
      "execution-trigger": { "trigger-type": execution.triggerType, "trigger-detail": "whistlestop-emulator" },
      version: 1,
      ...detail,
    }, this.definition);
  }
}

