import type { StageProgress } from "../../src/core/model/deploy.js";
import { PipelineError, type ExecutionSnapshot, type ExecutionStatus, type Pipeline, type StartRequest } from "../../src/core/ports/pipeline.js";

interface FakeExecution {
  executionId: string;
  pipelineName: string;
  request?: StartRequest;
  rollback?: { stage: string; target: string };
  status: ExecutionStatus;
  stages: StageProgress[];
  artifact?: string;
  error?: string;
}

/** A pipeline the test moves by hand: `advance(id, stage, status)`. Records every call. */
export class FakePipeline implements Pipeline {
  readonly executions = new Map<string, FakeExecution>();
  readonly calls: Array<{ op: string; args: unknown[] }> = [];
  private readonly byToken = new Map<string, string>();
  stageNames = ["Source", "Bake", "Deploy"];
  /** Make the next start throw this error. */
  failNextStart?: Error;
  private counter = 0;
  /** Pipelines `prepare` was told about, in order (kept apart from `calls`, which tests compare whole). */
  readonly prepared: string[] = [];

  async prepare(pipelineName: string): Promise<void> {
    this.prepared.push(pipelineName);
  }

  async start(request: StartRequest): Promise<{ executionId: string }> {
    this.calls.push({ op: "start", args: [request] });
    if (this.failNextStart) {
      const error = this.failNextStart;
      this.failNextStart = undefined;
      throw error;
    }
    const known = this.byToken.get(request.deployId);
    if (known) return { executionId: known };
    const executionId = `exec-${++this.counter}`;
    this.byToken.set(request.deployId, executionId);
    this.executions.set(executionId, { executionId, pipelineName: request.pipelineName, request, status: "InProgress", stages: this.initialStages() });
    return { executionId };
  }

  async getExecution(pipelineName: string, executionId: string): Promise<ExecutionSnapshot> {
    this.calls.push({ op: "getExecution", args: [pipelineName, executionId] });
    const e = this.executions.get(executionId);
    if (!e) throw new PipelineError(`execution ${executionId} not found`, "execution_not_found", false);
    return { executionId, status: e.status, stages: e.stages, url: this.executionUrl(pipelineName, executionId), ...(e.artifact ? { artifact: e.artifact } : {}), ...(e.error ? { error: e.error } : {}) };
  }

  async stop(pipelineName: string, executionId: string, reason: string): Promise<void> {
    this.calls.push({ op: "stop", args: [pipelineName, executionId, reason] });
    const e = this.executions.get(executionId);
    if (e) e.status = "Stopped";
  }

  async rollbackStage(pipelineName: string, stageName: string, targetExecutionId: string): Promise<{ executionId: string }> {
    this.calls.push({ op: "rollbackStage", args: [pipelineName, stageName, targetExecutionId] });
    const executionId = `exec-${++this.counter}`;
    this.executions.set(executionId, { executionId, pipelineName, rollback: { stage: stageName, target: targetExecutionId }, status: "InProgress", stages: [{ name: stageName, status: "running" }] });
    return { executionId };
  }

  async setInboundTransition(pipelineName: string, stageName: string, enabled: boolean, reason: string): Promise<void> {
    this.calls.push({ op: "setInboundTransition", args: [pipelineName, stageName, enabled, reason] });
  }

  executionUrl(pipelineName: string, executionId: string): string {
    return `https://console.example/${pipelineName}/${executionId}`;
  }

  /** Finish the whole execution. */
  finish(executionId: string, status: ExecutionStatus, extra: { artifact?: string; error?: string } = {}): void {
    const e = this.executions.get(executionId)!;
    e.status = status;
    const stageStatus = status === "Succeeded" ? "succeeded" : status === "Failed" ? "failed" : "cancelled";
    e.stages = e.stages.map((s) => ({ ...s, status: stageStatus }));
    Object.assign(e, extra);
  }

  setStage(executionId: string, name: string, status: StageProgress["status"]): void {
    const e = this.executions.get(executionId)!;
    e.stages = e.stages.map((s) => (s.name === name ? { ...s, status } : s));
  }

  startCalls(): StartRequest[] {
    return this.calls.filter((c) => c.op === "start").map((c) => c.args[0] as StartRequest);
  }

  private initialStages(): StageProgress[] {
    return this.stageNames.map((name, i) => ({ name, status: i === 0 ? "running" : "waiting" }));
  }
}
