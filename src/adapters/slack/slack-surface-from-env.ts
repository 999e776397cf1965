import type { SurfaceFactory } from "../../app/compose.js";
import type { PinoLike } from "./bolt-logger.js";
import { slackSettingsFromEnv } from "./slack-settings.js";
import { slackSurface } from "./slack-surface.js";

/** The Slack surface when its settings are there; otherwise undefined and one log line saying how to turn it on. */
export function slackSurfaceFromEnv(env: NodeJS.ProcessEnv, logger: Pick<PinoLike, "info" | "warn">): SurfaceFactory | undefined {
  const result = slackSettingsFromEnv(env);
  if (result.enabled) return slackSurface({ settings: result.settings });
  if (result.problem) logger.warn({ surface: "slack" }, result.message);
  else logger.info({ surface: "slack" }, result.message);
  return undefined;
}
