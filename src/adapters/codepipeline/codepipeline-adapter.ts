import {
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  type ActionExecutionDetail,
  type CodePipelineClient,
  type PipelineVariable,
} from "@aws-sdk/client-codepipeline";
import { PipelineError, type ExecutionSnapshot, type Pipeline, type StartRequest } from "../../core/ports/pipeline.js";
import { limitStopReason, limitVariableValue, sanitizeTransitionReason } from "./aws-text-limits.js";
import { buildExecutionSnapshot } from "./build-execution-snapshot.js";
import { PipelineShapeCache, type PipelineShape } from "./pipeline-shape-cache.js";
import { toPipelineError, type ErrorContext } from "./to-pipeline-error.js";

export interface CodePipelineAdapterOptions {
  /** For console URLs and messages; default: the client's region. */
  readonly region?: string;
  /** How long a GetPipeline answer (stage order, declared variables) is trusted; default 5 minutes. */
  readonly pipelineCacheTtlMs?: number;
  readonly now?: () => number;
  /** Where whistlestop.yml sets a pipeline's name (see pipelineConfigHints), for "not found" messages. */
  readonly configPathForPipeline?: (pipelineName: string) => string | undefined;
}

export const DEPLOY_ID_VARIABLE = "WHISTLESTOP_DEPLOY_ID";
export const ACTOR_VARIABLE = "WHISTLESTOP_ACTOR";
/** Pages of ListActionExecutions read per snapshot; 100 actions each is far beyond any real pipeline. */
const MAX_ACTION_PAGES = 20;

/** The Pipeline port on AWS CodePipeline. Every failure surfaces as a PipelineError. */
export class CodePipelineAdapter implements Pipeline {
  private region: string | undefined;
  private regionLookup: Promise<string> | undefined;
  private readonly shapes: PipelineShapeCache;

  constructor(
    private readonly client: CodePipelineClient,
    private readonly options: CodePipelineAdapterOptions = {},
  ) {
    this.region = options.region;
    this.shapes = new PipelineShapeCache((name) => this.loadShape(name), options.pipelineCacheTtlMs ?? 5 * 60_000, options.now ?? Date.now);
  }

  async start(request: StartRequest): Promise<{ executionId: string }> {
    const { pipelineName } = request;
    return this.call({ operation: "StartPipelineExecution", pipelineName }, async () => {
      const send = async (shape: PipelineShape) => {
        assertSourceAction(shape, request.sourceAction);
        return this.client.send(
          new StartPipelineExecutionCommand({
            name: pipelineName,
            clientRequestToken: request.deployId,
            sourceRevisions: [{ actionName: request.sourceAction, revisionType: "COMMIT_ID", revisionValue: request.sha }],
            variables: declaredVariables(shape, request),
          }),
        );
      };
      const shape = await this.shapes.get(pipelineName);
      let output;
      try {
        output = await send(shape);
      } catch (error) {
        // The pipeline's variables may have changed since GetPipeline was cached: look again once.
        if ((error as Error).name !== "ValidationException" || !declaredVariables(shape, request)) throw error;
        this.shapes.invalidate(pipelineName);
        output = await send(await this.shapes.get(pipelineName));
      }
      if (!output.pipelineExecutionId) throw new Error("StartPipelineExecution returned no pipelineExecutionId");
      return { executionId: output.pipelineExecutionId };
    });
  }

  /**
   * Reads the pipeline's declaration (GetPipeline, cached) while the deploy is still being
   * decided, so that start() sends StartPipelineExecution without waiting for it. A failure is
   * forgotten by the cache and surfaces from start() itself.
   */
  async prepare(pipelineName: string): Promise<void> {
    await this.shapes.get(pipelineName).catch(() => {});
  }

  async getExecution(pipelineName: string, executionId: string): Promise<ExecutionSnapshot> {
    return this.call({ operation: "GetPipelineExecution", pipelineName, executionId }, async () => {
      const [shape, execution, actions] = await Promise.all([
        this.shapes.get(pipelineName),
        this.client.send(new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId })),
        this.listActions(pipelineName, executionId),
      ]);
      if (!execution.pipelineExecution) throw new Error("GetPipelineExecution returned no pipelineExecution");
      return buildExecutionSnapshot(shape, execution.pipelineExecution, actions, this.executionUrl(pipelineName, executionId));
    });
  }

  /** Stopping is idempotent: an execution already stopping or finished is left as it is. */
  async stop(pipelineName: string, executionId: string, reason: string): Promise<void> {
    await this.call({ operation: "StopPipelineExecution", pipelineName, executionId }, async () => {
      try {
        await this.client.send(
          new StopPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId, abandon: false, reason: limitStopReason(reason) }),
        );
      } catch (error) {
        const name = (error as Error).name;
        if (name !== "DuplicatedStopRequestException" && name !== "PipelineExecutionNotStoppableException") throw error;
      }
    });
  }

  /**
   * RollbackStage takes no request token, so a retry after a lost answer would be refused ("stage
   * is running"). When refused, an in-progress rollback to the same target is that first call's
   * execution, and is returned instead.
   */
  async rollbackStage(pipelineName: string, stageName: string, targetExecutionId: string): Promise<{ executionId: string }> {
    return this.call({ operation: "RollbackStage", pipelineName, stageName, executionId: targetExecutionId }, async () => {
      try {
        const output = await this.client.send(new RollbackStageCommand({ pipelineName, stageName, targetPipelineExecutionId: targetExecutionId }));
        if (!output.pipelineExecutionId) throw new Error("RollbackStage returned no pipelineExecutionId");
        return { executionId: output.pipelineExecutionId };
      } catch (error) {
        const name = (error as Error).name;
        if (name !== "UnableToRollbackStageException" && name !== "ConflictException") throw error;
        const running = await this.runningRollback(pipelineName, targetExecutionId);
        if (!running) throw error;
        return { executionId: running };
      }
    });
  }

  async setInboundTransition(pipelineName: string, stageName: string, enabled: boolean, reason: string): Promise<void> {
    const operation = enabled ? "EnableStageTransition" : "DisableStageTransition";
    await this.call({ operation, pipelineName, stageName }, async () => {
      if (enabled) await this.client.send(new EnableStageTransitionCommand({ pipelineName, stageName, transitionType: "Inbound" }));
      else {
        const command = new DisableStageTransitionCommand({ pipelineName, stageName, transitionType: "Inbound", reason: sanitizeTransitionReason(reason) });
        await this.client.send(command);
      }
    });
  }

  executionUrl(pipelineName: string, executionId: string): string {
    const region = this.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
    const name = encodeURIComponent(pipelineName);
    return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${name}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
  }

  /** Forgets what GetPipeline said about a pipeline (after it was edited). */
  forgetPipeline(pipelineName: string): void {
    this.shapes.invalidate(pipelineName);
  }

  private async listActions(pipelineName: string, executionId: string): Promise<ActionExecutionDetail[]> {
    const details: ActionExecutionDetail[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_ACTION_PAGES; page += 1) {
      const output = await this.client.send(
        new ListActionExecutionsCommand({ pipelineName, filter: { pipelineExecutionId: executionId }, maxResults: 100, nextToken }),
      );
      details.push(...(output.actionExecutionDetails ?? []));
      nextToken = output.nextToken;
      if (!nextToken) break;
    }
    return details.filter((d) => !d.pipelineExecutionId || d.pipelineExecutionId === executionId);
  }

  private async runningRollback(pipelineName: string, targetExecutionId: string): Promise<string | undefined> {
    const output = await this.client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 25 }));
    return output.pipelineExecutionSummaries?.find(
      (summary) =>
        summary.executionType === "ROLLBACK" &&
        (summary.status === "InProgress" || summary.status === "Stopping") &&
        summary.rollbackMetadata?.rollbackTargetPipelineExecutionId === targetExecutionId,
    )?.pipelineExecutionId;
  }

  private async loadShape(pipelineName: string): Promise<PipelineShape> {
    const output = await this.client.send(new GetPipelineCommand({ name: pipelineName }));
    const pipeline = output.pipeline;
    return {
      name: pipelineName,
      stages: (pipeline?.stages ?? []).map((stage) => ({
        name: stage.name ?? "",
        actions: [...(stage.actions ?? [])].sort((a, b) => (a.runOrder ?? 1) - (b.runOrder ?? 1)).map((a) => a.name ?? ""),
      })),
      variables: new Set((pipeline?.variables ?? []).map((v) => v.name ?? "")),
    };
  }

  private async call<T>(context: Omit<ErrorContext, "region" | "configPath">, run: () => Promise<T>): Promise<T> {
    try {
      await this.resolveRegion();
      return await run();
    } catch (error) {
      throw toPipelineError(error, {
        ...context,
        region: this.region ?? "the configured region",
        configPath: this.options.configPathForPipeline?.(context.pipelineName),
      });
    }
  }

  private async resolveRegion(): Promise<void> {
    if (this.region) return;
    this.regionLookup ??= this.client.config.region();
    try {
      this.region = await this.regionLookup;
    } catch (error) {
      this.regionLookup = undefined;
      throw new PipelineError(`AWS region is not set (${(error as Error).message}) — set AWS_REGION`, "region_missing", false);
    }
  }
}

function declaredVariables(shape: PipelineShape, request: StartRequest): PipelineVariable[] | undefined {
  const variables: PipelineVariable[] = [];
  if (shape.variables.has(DEPLOY_ID_VARIABLE)) variables.push({ name: DEPLOY_ID_VARIABLE, value: request.deployId });
  if (shape.variables.has(ACTOR_VARIABLE)) variables.push({ name: ACTOR_VARIABLE, value: limitVariableValue(request.actor) });
  return variables.length ? variables : undefined;
}

/** CodePipeline's own message for a wrong source action is vague; name the fix instead. */
function assertSourceAction(shape: PipelineShape, sourceAction: string): void {
  if (shape.stages.length === 0 || shape.stages.some((stage) => stage.actions.includes(sourceAction))) return;
  const available = shape.stages[0]?.actions.join(", ") || "none";
  throw new PipelineError(
    `pipeline ${shape.name} has no action named ${sourceAction} (its source actions: ${available}) — set source_action in whistlestop.yml`,
    "source_action_not_found",
    false,
  );
}
