import type { WhistlestopConfig } from "../../core/model/config.js";
import { allTargets } from "../../core/model/resolve-target.js";
import type { Pipeline } from "../../core/ports/pipeline.js";

/**
 * Reads each configured pipeline's declaration once, one at a time (GetPipeline is
 * rate-limited), so the first deploy of each after a start does not wait for it. Stops between
 * pipelines once `stopped` says so.
 */
export function pipelineWarmUp(config: WhistlestopConfig, pipeline: Pick<Pipeline, "prepare">): (stopped: () => boolean) => Promise<void> {
  return async (stopped) => {
    for (const name of new Set(allTargets(config).map((t) => t.pipeline))) {
      if (stopped()) return;
      await pipeline.prepare(name);
    }
  };
}
