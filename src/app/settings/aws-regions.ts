import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Settings } from "./settings-from-env.js";

/**
 * The AWS regions CodePipeline calls can go to. Today one, from AWS_REGION or AWS_DEFAULT_REGION;
 * a per-environment `aws.region` in whistlestop.yml belongs here as well (hence the config), so
 * that `whistlestop start` asks one question: is there any region at all?
 */
export function awsRegions(settings: Pick<Settings, "awsRegion">, _config: WhistlestopConfig): readonly string[] {
  return settings.awsRegion ? [settings.awsRegion] : [];
}

/** What `whistlestop start` says when there is no region: it never falls back to the emulator. */
export const NO_REGION_PROBLEM =
  "no AWS region is set, so Whistlestop cannot reach CodePipeline: set AWS_REGION (for example AWS_REGION=us-east-1) or AWS_DEFAULT_REGION, with AWS credentials from a role, AWS_PROFILE or keys (see docs/aws.md). To try Whistlestop without AWS, run `whistlestop sandbox` (`npm start`), which brings its own CodePipeline emulator.";
