import { locatePipeline, mergeAws, parsePipelineArn, roleAccount, sameLocation, type AwsSettings, type PipelineLocation } from "../core/model/pipeline-location.js";
import type { ConfigPath, ConfigProblem } from "./config-problem.js";
import type { RawConfig } from "./schema.js";
import { toAwsSettings } from "./to-core-config.js";

const fill = (template: string, service: string, env: string): string => template.replaceAll("{service}", service).replaceAll("{env}", env);

/** A level of aws settings and where it is written. */
interface AwsLevel {
  readonly settings?: AwsSettings;
  readonly path: ConfigPath;
}

function describe(location: PipelineLocation): string {
  const where = `${location.region ?? "AWS_REGION"}${location.account ? `, account ${location.account}` : ""}`;
  return location.roleArn ? `${where}, through ${location.roleArn}` : `${where}, with Whistlestop's own credentials`;
}

/**
 * The aws settings and pipeline names of every (service, env) agree: an external id sits beside a
 * role, a pipeline ARN's region and account match the region and role written for it, and one
 * pipeline name is never reached in two different places (deploys record the name, and pipeline
 * events and restarts find their account and region by it).
 */
export function checkAws(config: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const levels: AwsLevel[] = [
    { settings: toAwsSettings(config.defaults.aws), path: ["defaults", "aws"] },
    ...Object.entries(config.environments).map(([env, e]) => ({ settings: toAwsSettings(e.aws), path: ["environments", env, "aws"] })),
    ...Object.entries(config.services).flatMap(([service, s]) =>
      Object.entries(s.environments).map(([env, o]) => ({ settings: toAwsSettings(o.aws), path: ["services", service, "environments", env, "aws"] })),
    ),
  ];
  for (const { settings, path } of levels) {
    if (settings?.externalId !== undefined && settings.roleArn === undefined) {
      problems.push({ path: [...path, "external_id"], message: "an external id is sent when assuming a role: add role_arn beside it (a role written elsewhere brings its own external id)" });
    }
  }
  const seen = new Map<string, { location: PipelineLocation; path: ConfigPath }>();
  for (const [service, svc] of Object.entries(config.services)) {
    for (const [env, envSettings] of Object.entries(config.environments)) {
      const override = svc.environments[env];
      const overridePath: ConfigPath = ["services", service, "environments", env];
      const template = override?.pipeline ?? config.defaults.pipeline;
      const pipelinePath: ConfigPath = override?.pipeline !== undefined ? [...overridePath, "pipeline"] : ["defaults", "pipeline"];
      const aws = mergeAws([toAwsSettings(override?.aws), toAwsSettings(envSettings.aws), toAwsSettings(config.defaults.aws)]);
      const pipeline = fill(template, service, env);
      const arn = parsePipelineArn(pipeline);
      const forTarget = `for ${service}/${env}`;
      if (arn && aws.region !== undefined && aws.region !== arn.region) {
        problems.push({ path: pipelinePath, message: `${forTarget}, the pipeline ARN is in ${arn.region} but aws.region says ${aws.region}; make them agree or drop the region (the ARN's is used)` });
      }
      const account = aws.roleArn ? roleAccount(aws.roleArn) : undefined;
      if (arn && account !== undefined && account !== arn.account) {
        problems.push({ path: pipelinePath, message: `${forTarget}, the pipeline ARN is in account ${arn.account} but aws.role_arn is a role of account ${account}; a role reaches the pipelines of its own account` });
      }
      const location = locatePipeline(pipeline, aws);
      const earlier = seen.get(pipeline);
      if (earlier && !sameLocation(earlier.location, location)) {
        problems.push({
          path: pipelinePath,
          message: `pipeline "${pipeline}" ${forTarget} is in ${describe(location)}, but the same name is in ${describe(earlier.location)} elsewhere; Whistlestop tells pipelines apart by name, so write full ARNs (arn:aws:codepipeline:REGION:ACCOUNT:NAME) or use different names`,
        });
      } else if (!earlier) seen.set(pipeline, { location, path: pipelinePath });
    }
  }
  return problems;
}
