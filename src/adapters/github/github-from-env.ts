import type { Logger as PinoLogger } from "pino";
import { createGitHubIntegration, type GitHubIntegration, type GitHubIntegrationOptions } from "./create-github-integration.js";
import { readGitHubSettings } from "./github-settings.js";

/**
 * The GitHub integration from Probot's environment variables, or undefined (with one log line
 * saying how to turn it on) when they are absent. Unusable values (a bad key) throw: the operator
 * meant to turn GitHub on, and running without it would drop merges and comments silently.
 */
export async function githubFromEnv(
  env: NodeJS.ProcessEnv,
  logger: PinoLogger,
  options: Omit<GitHubIntegrationOptions, "logger"> = {},
): Promise<GitHubIntegration | undefined> {
  const read = readGitHubSettings(env);
  if (read.kind === "off") {
    const message = `GitHub surface is off: set ${read.missing.join(", ")} to turn it on (see docs/github.md)`;
    if (read.partial) logger.warn({ missing: read.missing }, message);
    else logger.info(message);
    return undefined;
  }
  // GITHUB_THROTTLE=off: for GitHub Enterprise Server with rate limits turned off (and fakes in benchmarks).
  const throttle = env.GITHUB_THROTTLE?.trim().toLowerCase() === "off" ? { throttle: false } : {};
  const integration = await createGitHubIntegration(read.settings, { logger, ...throttle, ...options });
  logger.info({ api: read.settings.baseUrl, appId: read.settings.appId }, "GitHub surface is on at POST /api/github/webhooks");
  return integration;
}
