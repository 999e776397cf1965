import { SLACK_ONLY_VERBS, VERBS } from "../core/commands/command.js";
import { parseIsoInZone } from "../core/time/zoned-time.js";
import { checkAws } from "./aws-checks.js";
import { didYouMean } from "./closest-match.js";
import type { ConfigPath, ConfigProblem } from "./config-problem.js";
import { identityChecks } from "./identity-checks.js";
import type { ParsedSections } from "./parse-sections.js";
import type { RawConfig, RawService, RawWindow } from "./schema.js";

/** Names become pipeline names and command words, so keep them to what both accept. */
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const RESERVED = new Set<string>([...VERBS, ...SLACK_ONLY_VERBS, "all"]);

/**
 * Checks that relate one field to another, on the entries that parsed. Names come from
 * everything written, so an environment with a bad setting is still a known environment.
 */
export function crossCheck(parsed: ParsedSections): ConfigProblem[] {
  const { config, environmentNames: envNames } = parsed;
  const problems: ConfigProblem[] = [
    ...checkNames(parsed.serviceNames, envNames),
    ...checkPromotion(config, envNames),
    ...checkGitHubEnvironments(config),
    ...identityChecks(config, envNames, parsed.serviceNames),
  ];
  for (const [name, service] of Object.entries(config.services)) problems.push(...checkService(config, name, service, envNames));
  problems.push(...checkAws(config));
  config.windows.forEach((window, i) => {
    const written = new Set(parsed.windowKeys[i] ?? Object.keys(window));
    problems.push(...checkWindow(window, written, ["windows", parsed.windowIndexes[i] ?? i], envNames, config.timezone));
  });
  return problems;
}

const LISTED_ENVIRONMENTS = 20;

function unknownEnvironment(name: string, known: readonly string[]): string {
  const more = known.length > LISTED_ENVIRONMENTS ? `, … (${known.length - LISTED_ENVIRONMENTS} more)` : "";
  const listing = known.length ? `defined: ${known.slice(0, LISTED_ENVIRONMENTS).join(", ")}${more}` : "no environments are defined";
  return `unknown environment "${name}"${didYouMean(name, known)}; ${listing}`;
}

function checkNames(serviceNames: readonly string[], envNames: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const env of envNames) {
    const path = ["environments", env];
    if (env === "all") problems.push({ path, at: "key", message: `"all" is reserved (commands use it to mean every environment); rename it` });
    else if (!NAME.test(env)) problems.push({ path, at: "key", message: `environment name "${env}" must be lowercase letters, digits and dashes (it appears in commands and pipeline names)` });
  }
  for (const service of serviceNames) {
    const path = ["services", service];
    if (RESERVED.has(service)) problems.push({ path, at: "key", message: `"${service}" is a command word (${[...RESERVED].join(", ")}); a service with this name could not be addressed in commands` });
    else if (!NAME.test(service)) problems.push({ path, at: "key", message: `service name "${service}" must be lowercase letters, digits and dashes, starting with a letter or digit (it becomes part of pipeline names)` });
    else if (envNames.includes(service)) problems.push({ path, at: "key", message: `"${service}" is both a service and an environment; commands could not tell them apart` });
  }
  return problems;
}

/** Each environment promotes from at most one other, so following the edges either ends or loops. */
function findCycles(promoteFrom: ReadonlyMap<string, string | undefined>): string[][] {
  const cycles: string[][] = [];
  const settled = new Set<string>();
  for (const start of promoteFrom.keys()) {
    const trail: string[] = [];
    // A Set beside the trail: a long promotion chain would make trail.includes quadratic.
    const onTrail = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && promoteFrom.has(current) && !settled.has(current) && !onTrail.has(current)) {
      trail.push(current);
      onTrail.add(current);
      current = promoteFrom.get(current);
    }
    if (current !== undefined && onTrail.has(current)) cycles.push(trail.slice(trail.indexOf(current)));
    trail.forEach((env) => settled.add(env));
  }
  return cycles;
}

const describeCycle = (cycle: readonly string[]): string =>
  cycle.length === 1 ? `"${cycle[0]}" cannot promote from itself` : `promotion cycle: ${[...cycle, cycle[0]].join(" ← ")}`;

function checkPromotion(config: RawConfig, envNames: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const graph = new Map<string, string | undefined>();
  for (const [env, settings] of Object.entries(config.environments)) {
    const from = settings.promote_from;
    if (from !== undefined && !envNames.includes(from)) problems.push({ path: ["environments", env, "promote_from"], message: unknownEnvironment(from, envNames) });
    graph.set(env, from);
  }
  for (const cycle of findCycles(graph)) problems.push({ path: ["environments", cycle[0]!, "promote_from"], message: describeCycle(cycle) });
  return problems;
}

function checkService(config: RawConfig, name: string, service: RawService, envNames: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const base: ConfigPath = ["services", name];
  service.on_merge.forEach((env, index) => {
    if (!envNames.includes(env)) problems.push({ path: [...base, "on_merge", index], message: unknownEnvironment(env, envNames) });
  });
  for (const [env, override] of Object.entries(service.environments)) {
    const path = [...base, "environments", env];
    if (!envNames.includes(env)) problems.push({ path, at: "key", message: `${unknownEnvironment(env, envNames)}; add it under the top-level environments first` });
    const from = override.promote_from;
    if (from !== undefined && !envNames.includes(from)) problems.push({ path: [...path, "promote_from"], message: unknownEnvironment(from, envNames) });
  }
  problems.push(...checkServicePromotion(config, name, service), ...checkStages(config, base, service), ...checkGitHubEnvironments(config, { name, raw: service }));
  return problems;
}

/** Cycles that only a service's own promote_from overrides create (the others are reported once, above). */
function checkServicePromotion(config: RawConfig, name: string, service: RawService): ConfigProblem[] {
  const overridden = (env: string): boolean => service.environments[env]?.promote_from !== undefined;
  const graph = new Map<string, string | undefined>();
  for (const [env, settings] of Object.entries(config.environments)) graph.set(env, service.environments[env]?.promote_from ?? settings.promote_from);
  return findCycles(graph)
    .filter((cycle) => cycle.some(overridden))
    .map((cycle) => ({ path: ["services", name, "environments", cycle.find(overridden)!, "promote_from"], message: describeCycle(cycle) }));
}

/**
 * A protection rule names one GitHub environment: two environments answering to the same name
 * would leave it unclear whose locks and windows apply. Reported once at the top level, and per
 * service only where that service's own overrides make the clash.
 */
function checkGitHubEnvironments(config: RawConfig, service?: { name: string; raw: RawService }): ConfigProblem[] {
  const claimedBy = new Map<string, { env: string; overridden: boolean }>();
  const problems: ConfigProblem[] = [];
  for (const [env, settings] of Object.entries(config.environments)) {
    const own = service?.raw.environments[env]?.github_environment;
    const github = own ?? settings.github_environment ?? env;
    const earlier = claimedBy.get(github.toLowerCase());
    if (earlier === undefined) {
      claimedBy.set(github.toLowerCase(), { env, overridden: own !== undefined });
      continue;
    }
    if (service && own === undefined && !earlier.overridden) continue;
    const path: ConfigPath = service && own !== undefined ? ["services", service.name, "environments", env, "github_environment"] : settings.github_environment !== undefined ? ["environments", env, "github_environment"] : ["environments", env];
    const whose = service ? ` for service ${service.name}` : "";
    problems.push({ path, message: `the GitHub environment "${github}" already maps to ${earlier.env}${whose}; give each environment its own github_environment` });
  }
  return problems;
}

/** With an explicit stage order, the stage deploys and rollbacks act on must be in it. */
function checkStages(config: RawConfig, base: ConfigPath, service: RawService): ConfigProblem[] {
  const stages = service.stages;
  if (!stages) return [];
  const problems: ConfigProblem[] = [];
  let defaultReported = false;
  for (const env of Object.keys(config.environments)) {
    const own = service.environments[env]?.deploy_stage;
    const stage = own ?? config.defaults.deploy_stage;
    if (stages.includes(stage)) continue;
    if (own !== undefined) {
      problems.push({ path: [...base, "environments", env, "deploy_stage"], message: `"${own}" is not one of this service's stages (${stages.join(", ")})` });
    } else if (!defaultReported) {
      defaultReported = true;
      problems.push({ path: [...base, "stages"], message: `does not include the deploy stage "${stage}" (defaults.deploy_stage)${didYouMean(stage, stages)}; add it or override deploy_stage` });
    }
  }
  return problems;
}

/** `written` holds the keys in the file, so a cron with a bad value still counts as "has a cron". */
function checkWindow(window: RawWindow, written: ReadonlySet<string>, base: ConfigPath, envNames: readonly string[], defaultZone: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  window.environments.forEach((env, index) => {
    if (!envNames.includes(env)) problems.push({ path: [...base, "environments", index], message: unknownEnvironment(env, envNames) });
  });
  const has = (key: string): boolean => written.has(key);
  const oneOff = has("start") || has("end");
  const recurring = has("cron") || has("duration");
  if (oneOff && recurring) {
    const key = has("cron") ? "cron" : "duration";
    problems.push({ path: [...base, key], at: "key", message: "a window is either one-off (start and end) or recurring (cron and duration), not both; remove one pair" });
  } else if (oneOff) {
    if (!has("start")) problems.push({ path: [...base, "start"], message: "required: a one-off window needs start as well as end" });
    if (!has("end")) problems.push({ path: [...base, "end"], message: "required: a one-off window needs end as well as start" });
    if (window.start !== undefined && window.end !== undefined) {
      const zone = window.timezone ?? defaultZone;
      const start = parseIsoInZone(window.start, zone);
      const end = parseIsoInZone(window.end, zone);
      if (start && end && end.getTime() <= start.getTime()) problems.push({ path: [...base, "end"], message: `${window.end} is not after start ${window.start}` });
    }
  } else if (recurring) {
    if (!has("cron")) problems.push({ path: [...base, "cron"], message: 'required: duration needs a cron expression for the start times, like "0 20 * * 1-5"' });
    if (!has("duration")) problems.push({ path: [...base, "duration"], message: "required: cron needs a duration like 4h" });
  } else {
    problems.push({ path: base, at: "key", message: "needs start and end (one-off) or cron and duration (recurring)" });
  }
  return problems;
}
