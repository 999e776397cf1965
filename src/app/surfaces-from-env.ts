import type { Logger } from "./logger.js";
import type { SurfaceFactory } from "./compose.js";
import { slackSurfaceFromEnv } from "../adapters/slack/slack-surface-from-env.js";

/**
 * The chat and code-host surfaces that are configured. A surface whose settings are absent is
 * simply off, with one log line saying how to turn it on (SPEC §8).
 */
export async function surfacesFromEnv(env: NodeJS.ProcessEnv, logger: Logger): Promise<SurfaceFactory[]> {
  const surfaces: SurfaceFactory[] = [];
  const slack = slackSurfaceFromEnv(env, logger);
  if (slack) surfaces.push(slack);
  void env;
  void logger;
  return surfaces;
}
