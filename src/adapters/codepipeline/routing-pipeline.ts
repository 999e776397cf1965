import type { PipelineLocation } from "../../core/model/pipeline-location.js";
import type { ExecutionSnapshot, Pipeline, StartRequest } from "../../core/ports/pipeline.js";
import { clientKeyOf, type ClientKey } from "./codepipeline-clients.js";

/** The Pipeline calls, made for the plain name through the client of one (region, role). */
export type RegionalPipeline = Pipeline;

/**
 * The Pipeline port over several AWS accounts and regions. Each pipeline name (plain or ARN, as
 * whistlestop.yml writes it and deploys record it) is located, and the call goes to the adapter of
 * that (region, role) — one per pair, created when first needed and kept, so its credentials and
 * GetPipeline answers are shared by every pipeline behind it.
 */
export class RoutingPipeline implements Pipeline {
  private readonly adapters = new Map<string, RegionalPipeline>();

  constructor(
    private readonly locate: (pipelineName: string) => PipelineLocation,
    private readonly createAdapter: (key: ClientKey) => RegionalPipeline,
    private readonly defaultRegion?: string,
  ) {}

  start(request: StartRequest): Promise<{ executionId: string }> {
    const { adapter, name } = this.route(request.pipelineName);
    return adapter.start({ ...request, pipelineName: name });
  }

  prepare(pipelineName: string): Promise<void> {
    const { adapter, name } = this.route(pipelineName);
    return adapter.prepare(name);
  }

  getExecution(pipelineName: string, executionId: string): Promise<ExecutionSnapshot> {
    const { adapter, name } = this.route(pipelineName);
    return adapter.getExecution(name, executionId);
  }

  stop(pipelineName: string, executionId: string, reason: string): Promise<void> {
    const { adapter, name } = this.route(pipelineName);
    return adapter.stop(name, executionId, reason);
  }

  rollbackStage(pipelineName: string, stageName: string, targetExecutionId: string): Promise<{ executionId: string }> {
    const { adapter, name } = this.route(pipelineName);
    return adapter.rollbackStage(name, stageName, targetExecutionId);
  }

  setInboundTransition(pipelineName: string, stageName: string, enabled: boolean, reason: string): Promise<void> {
    const { adapter, name } = this.route(pipelineName);
    return adapter.setInboundTransition(name, stageName, enabled, reason);
  }

  executionUrl(pipelineName: string, executionId: string): string {
    const { adapter, name } = this.route(pipelineName);
    return adapter.executionUrl(name, executionId);
  }

  /** How many (region, role) clients exist so far. */
  clientCount(): number {
    return this.adapters.size;
  }

  private route(pipelineName: string): { adapter: RegionalPipeline; name: string } {
    const location = this.locate(pipelineName);
    const key = clientKeyOf(location, this.defaultRegion);
    const id = JSON.stringify([key.region ?? "", key.roleArn ?? "", key.externalId ?? ""]);
    let adapter = this.adapters.get(id);
    if (!adapter) {
      adapter = this.createAdapter(key);
      this.adapters.set(id, adapter);
    }
    return { adapter, name: location.name };
  }
}
