import type { WhistlestopConfig } from "../../core/model/config.js";
import { allTargets } from "../../core/model/resolve-target.js";

/**
 * Pipeline name → where whistlestop.yml decides it, so a "pipeline not found" error can point at
 * the line to fix (services.donations.environments.prod.pipeline, or defaults.pipeline).
 */
export function pipelineConfigHints(config: WhistlestopConfig): (pipelineName: string) => string | undefined {
  const hints = new Map<string, string>();
  for (const { service, env, pipeline, location } of allTargets(config)) {
    if (hints.has(pipeline)) continue;
    const overridden = config.services[service]?.environments[env]?.pipeline !== undefined;
    const hint = overridden
      ? `services.${service}.environments.${env}.pipeline`
      : `defaults.pipeline ("${config.defaults.pipeline}"), or set services.${service}.environments.${env}.pipeline`;
    hints.set(pipeline, hint);
    // Adapters see the plain name of a pipeline written as an ARN.
    if (!hints.has(location.name)) hints.set(location.name, hint);
  }
  return (pipelineName) => hints.get(pipelineName);
}
