import type { WhistlestopConfig } from "../../core/model/config.js";
import { allTargets } from "../../core/model/resolve-target.js";
import type { Settings } from "./settings-from-env.js";

/**
 * The AWS regions CodePipeline calls go to: each pipeline's region from whistlestop.yml (its ARN
 * or `aws.region`), else AWS_REGION / AWS_DEFAULT_REGION. `missing` lists the (service, env) pairs
 * that have neither, which `whistlestop start` refuses to run with.
 */
export function awsRegions(settings: Pick<Settings, "awsRegion">, config: WhistlestopConfig): { readonly regions: readonly string[]; readonly missing: readonly string[] } {
  const regions = new Set<string>();
  const missing: string[] = [];
  for (const target of allTargets(config)) {
    const region = target.location.region ?? settings.awsRegion;
    if (region) regions.add(region);
    else missing.push(`${target.service}/${target.env}`);
  }
  if (regions.size === 0 && settings.awsRegion) regions.add(settings.awsRegion);
  return { regions: [...regions], missing };
}

const LISTED = 5;

/** What `whistlestop start` says when a pipeline has no region: it never falls back to the emulator. */
export function noRegionProblem(missing: readonly string[]): string {
  const more = missing.length > LISTED ? ` and ${missing.length - LISTED} more` : "";
  const which = missing.length ? ` (${missing.slice(0, LISTED).join(", ")}${more} have no aws.region in whistlestop.yml)` : "";
  return (
    `no AWS region is set${which}, so Whistlestop cannot reach CodePipeline: set AWS_REGION (for example AWS_REGION=us-east-1) or AWS_DEFAULT_REGION, or aws.region under defaults, with AWS credentials from a role, AWS_PROFILE or keys (see docs/aws.md). ` +
    "To try Whistlestop without AWS, run `whistlestop sandbox` (`npm start`), which brings its own CodePipeline emulator."
  );
}
