import type { EnvironmentSettings, ServiceConfig, Target, WhistlestopConfig } from "./config.js";
import { locatePipeline, mergeAws, type PipelineLocation } from "./pipeline-location.js";

const fill = (template: string, service: string, env: string): string =>
  template.replaceAll("{service}", service).replaceAll("{env}", env);

/**
 * Targets already resolved, per configuration: a configuration never changes once loaded, and every
 * deploy event asks for its target (notifiers, hard freezes), so each is merged once.
 */
const resolved = new WeakMap<WhistlestopConfig, Map<string, Target>>();

/** Everything about deploying `service` to `env`, with per-service overrides applied; undefined if unknown. */
export function resolveTarget(config: WhistlestopConfig, service: string, env: string): Target | undefined {
  // Only configured pairs are kept: a name someone typed must not grow the cache.
  const svc = Object.hasOwn(config.services, service) ? config.services[service] : undefined;
  const envSettings = Object.hasOwn(config.environments, env) ? config.environments[env] : undefined;
  if (!svc || !envSettings) return undefined;
  let targets = resolved.get(config);
  if (!targets) {
    targets = new Map();
    resolved.set(config, targets);
  }
  // A NUL cannot occur in a name from whistlestop.yml, so the key is unambiguous.
  const key = `${service}\u0000${env}`;
  let target = targets.get(key);
  if (!target) {
    target = mergeTarget(config, service, env, svc, envSettings);
    targets.set(key, target);
  }
  return target;
}

function mergeTarget(config: WhistlestopConfig, service: string, env: string, svc: ServiceConfig, envSettings: EnvironmentSettings): Target {
  const override = svc.environments[env] ?? {};
  const merged = { ...config.defaults, ...envSettings, ...stripUndefined(override) };
  const aws = mergeAws([override.aws, envSettings.aws, config.defaults.aws]);
  const pipeline = fill(merged.pipeline, service, env);
  return {
    ...merged,
    service,
    env,
    repo: svc.repo,
    slackChannel: svc.slackChannel,
    stages: svc.stages,
    pipeline,
    environmentUrl: merged.url ? fill(merged.url, service, env) : undefined,
    aws,
    location: locatePipeline(pipeline, aws),
  };
}

/**
 * Where the pipeline of (service, env) lives and how to reach it. `pipelineName` is the name a
 * deploy recorded, which may predate a configuration change; undefined when the pair is unknown.
 */
export function pipelineLocation(config: WhistlestopConfig, service: string, env: string, pipelineName?: string): PipelineLocation | undefined {
  const target = resolveTarget(config, service, env);
  if (!target) return undefined;
  return pipelineName === undefined || pipelineName === target.pipeline ? target.location : locatePipeline(pipelineName, target.aws);
}

/** Every (service, env) the configuration can deploy to, services in file order. */
export function allTargets(config: WhistlestopConfig): Target[] {
  return Object.keys(config.services).flatMap((service) => Object.keys(config.environments).map((env) => resolveTarget(config, service, env)!));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
