import type { WhistlestopConfig } from "../../core/model/config.js";
import { locatePipeline, type PipelineLocation } from "../../core/model/pipeline-location.js";
import { allTargets } from "../../core/model/resolve-target.js";
import { CodePipelineAdapter, type CodePipelineAdapterOptions } from "./codepipeline-adapter.js";
import { createClientFor, type CodePipelineClientsOptions } from "./codepipeline-clients.js";
import { pipelineConfigHints } from "./pipeline-config-hints.js";
import { RoutingPipeline } from "./routing-pipeline.js";

export interface AwsPipelineOptions extends CodePipelineClientsOptions {
  readonly adapter?: Omit<CodePipelineAdapterOptions, "region" | "configPathForPipeline">;
}

/**
 * Pipeline name → where it lives, from whistlestop.yml. A name no (service, env) uses any more (a
 * deploy recorded before the configuration changed) is reached with the defaults' settings.
 */
export function pipelineLocator(config: WhistlestopConfig): (pipelineName: string) => PipelineLocation {
  const locations = new Map<string, PipelineLocation>();
  for (const target of allTargets(config)) if (!locations.has(target.pipeline)) locations.set(target.pipeline, target.location);
  return (pipelineName) => locations.get(pipelineName) ?? locatePipeline(pipelineName, config.defaults.aws ?? {});
}

/** CodePipeline for every account and region whistlestop.yml names: one client per (region, role). */
export function createAwsPipeline(config: WhistlestopConfig, options: AwsPipelineOptions = {}): RoutingPipeline {
  const hints = pipelineConfigHints(config);
  return new RoutingPipeline(
    pipelineLocator(config),
    (key) =>
      new CodePipelineAdapter(createClientFor(key, options), {
        ...options.adapter,
        ...(key.region ? { region: key.region } : {}),
        configPathForPipeline: hints,
      }),
    options.defaultRegion,
  );
}
