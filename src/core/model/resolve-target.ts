import type { Target, WhistlestopConfig } from "./config.js";

const fill = (template: string, service: string, env: string): string =>
  template.replaceAll("{service}", service).replaceAll("{env}", env);

/** Everything about deploying `service` to `env`, with per-service overrides applied; undefined if unknown. */
export function resolveTarget(config: WhistlestopConfig, service: string, env: string): Target | undefined {
  const svc = config.services[service];
  const envSettings = config.environments[env];
  if (!svc || !envSettings) return undefined;
  const override = svc.environments[env] ?? {};
  const merged = { ...config.defaults, ...envSettings, ...stripUndefined(override) };
  return {
    ...merged,
    service,
    env,
    repo: svc.repo,
    slackChannel: svc.slackChannel,
    stages: svc.stages,
    pipeline: fill(merged.pipeline, service, env),
    environmentUrl: merged.url ? fill(merged.url, service, env) : undefined,
  };
}

/** Every (service, env) the configuration can deploy to, services in file order. */
export function allTargets(config: WhistlestopConfig): Target[] {
  return Object.keys(config.services).flatMap((service) => Object.keys(config.environments).map((env) => resolveTarget(config, service, env)!));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
