import type { WhistlestopConfig } from "../core/model/config.js";
import { allTargets } from "../core/model/resolve-target.js";
import type { EmulatorPipeline } from "./emulator-pipeline.js";

const DEFAULT_STAGES = ["Source", "Bake", "Deploy", "Verify"];

/**
 * One emulated pipeline per service × environment, named as Whistlestop will call it. The first
 * stage carries the target's source action; the first stage whose name contains "bake" outputs AMI_ID.
 */
export function pipelinesFromConfig(config: WhistlestopConfig): EmulatorPipeline[] {
  const pipelines = new Map<string, EmulatorPipeline>();
  for (const target of allTargets(config)) {
    const { name, region, account } = target.location;
    if (pipelines.has(name)) continue;
    const stageNames = target.stages?.length ? [...target.stages] : DEFAULT_STAGES;
    if (!stageNames.includes(target.deployStage)) stageNames.splice(Math.max(1, stageNames.length - 1), 0, target.deployStage);
    const bakeStage = stageNames.find((name) => /bake/i.test(name));
    pipelines.set(name, {
      name,
      // Placed where whistlestop.yml says, so calls made with another account's role do not find it.
      ...(region ? { region } : {}),
      ...(account ? { account } : {}),
      stages: stageNames.map((name, index) => (index === 0 ? { name, actions: [target.sourceAction] } : { name })),
      ...(bakeStage ? { bakeStage } : {}),
      repo: target.repo,
    });
  }
  return [...pipelines.values()];
}
