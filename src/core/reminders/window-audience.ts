import type { WhistlestopConfig, WindowConfig } from "../model/config.js";
import { windowCovers } from "../policies/window-covers.js";

/**
 * Where a window's announcements go: the Slack channel of every service it covers in at least one
 * environment, then `announce_channel`; each channel once, however many services share it.
 */
export function windowChannels(config: WhistlestopConfig, window: Pick<WindowConfig, "environments" | "services">): string[] {
  const channels = new Set<string>();
  const envs = Object.keys(config.environments);
  for (const [service, settings] of Object.entries(config.services)) {
    if (settings.slackChannel && envs.some((env) => windowCovers(window, service, env))) channels.add(settings.slackChannel);
  }
  if (config.announceChannel) channels.add(config.announceChannel);
  return [...channels];
}
