import type { WhistlestopConfig } from "../core/model/config.js";
import { eventMatchesLocation, locatePipeline, type EventOrigin } from "../core/model/pipeline-location.js";
import { pipelineLocation } from "../core/model/resolve-target.js";
import type { OperationsStore } from "../core/ports/operations-store.js";

/**
 * For pipeline events: pokes the running deploy an execution belongs to, so the tracker reads
 * it now instead of at its next poll; true when there was one. The store's index on running
 * executions finds it (no scan of every running deploy per event). Events come from every
 * account and region, so the deploy's pipeline must also be where the event says it comes
 * from; an event from anywhere else matches nothing.
 */
export function pokeDeployOfExecution(config: WhistlestopConfig, store: Pick<OperationsStore, "findRunningByExecution">, tracker: { poke(deployId: string): void }) {
  return async (origin: EventOrigin, executionId: string): Promise<boolean> => {
    const deploy = (await store.findRunningByExecution(executionId)).find((d) => {
      const location = pipelineLocation(config, d.service, d.env, d.pipelineName) ?? locatePipeline(d.pipelineName, {});
      return eventMatchesLocation(location, origin);
    });
    if (deploy) tracker.poke(deploy.id);
    return deploy !== undefined;
  };
}
