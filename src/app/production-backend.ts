import { createAwsAlarms } from "../adapters/cloudwatch/aws-alarms.js";
import { createAwsPipeline } from "../adapters/codepipeline/aws-pipeline.js";
import { OfflineSourceControl } from "../adapters/source-control/offline-source-control.js";
import type { WhistlestopConfig } from "../core/model/config.js";
import type { Logger } from "./logger.js";
import type { ServerBackend } from "./server-backend.js";
import { awsRegions, noRegionProblem } from "./settings/aws-regions.js";
import type { Settings } from "./settings/settings-from-env.js";
import { StartupError } from "./settings/startup-error.js";

/**
 * `whistlestop start`: CodePipeline on AWS, never the emulator. With a pipeline that has no region it stops before
 * the store is opened or anything listens; AWS_ENDPOINT_URL_CODEPIPELINE still points the SDK
 * elsewhere (a VPC endpoint, or the emulator run on purpose with `whistlestop emulator`).
 */
export function productionBackend(settings: Settings, config: WhistlestopConfig, logger: Logger): ServerBackend {
  const { regions, missing } = awsRegions(settings, config);
  if (missing.length > 0 || regions.length === 0) throw new StartupError([noRegionProblem(missing)]);
  logger.info(modeSummary(settings, regions), "production mode");
  return {
    // One client per (region, role); a role that cannot be assumed fails only its own deploys.
    pipeline: createAwsPipeline(config, { ...(settings.awsRegion ? { defaultRegion: settings.awsRegion } : {}) }),
    // In each pipeline's account and region, with its role; AWS_ENDPOINT_URL_CLOUDWATCH as the SDK reads it.
    alarms: createAwsAlarms(config, { ...(settings.awsRegion ? { defaultRegion: settings.awsRegion } : {}) }),
    sourceControl: new OfflineSourceControl(),
    apiTokens: settings.apiTokens,
    // The "whistlestop is listening" line is the announcement.
    async announce() {},
    async close() {},
  };
}

/** What `whistlestop start` runs with: which surfaces are on, never a secret. */
function modeSummary(settings: Settings, regions: readonly string[]): Record<string, unknown> {
  const slack = settings.slack;
  return {
    mode: "production",
    github: settings.github ? `on (${settings.github.baseUrl}, app ${settings.github.appId})` : "off: only full shas can be deployed",
    slack: slack ? (slack.appToken ? "on (Socket Mode)" : "on (HTTP)") : "off",
    ...(slack ? { slackWorkspaces: slack.teamIds?.length ? slack.teamIds : "any" } : {}),
    oauth: settings.oauth ? "on" : "off",
    apiClients: settings.apiTokens.length,
    pipelineEvents: settings.pipelineEventsToken ? "on" : "off",
    store: settings.store.databaseUrl ? "postgres" : "sqlite",
    regions,
  };
}
