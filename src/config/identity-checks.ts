import type { ConfigPath, ConfigProblem } from "./config-problem.js";
import { didYouMean } from "./closest-match.js";
import type { RawConfig } from "./schema.js";

const API_PREFIX = "api:";

/**
 * Checks on who is who: one GitHub login per Slack user in `people` (two people mapped to one
 * login would share its rights and its locks), `api:<client>` entries that name a declared client,
 * and clients scoped to environments and services that exist.
 */
export function identityChecks(config: RawConfig, names: { envNames: readonly string[]; serviceNames: readonly string[]; clientNames: readonly string[] }): ConfigProblem[] {
  return [
    ...duplicateLogins(config.people),
    ...clientEntries(config, names.clientNames),
    ...clientScopes(config, names.envNames, names.serviceNames),
    ...approvalsThatCannotPass(config),
  ];
}

function duplicateLogins(people: Readonly<Record<string, string>>): ConfigProblem[] {
  const firstIdOf = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const [slackId, login] of Object.entries(people)) {
    const key = login.replace(/^@/, "").toLowerCase();
    const first = firstIdOf.get(key);
    if (first === undefined) firstIdOf.set(key, slackId);
    else {
      problems.push({
        path: ["people", slackId],
        message: `GitHub login "${login}" is already mapped to ${first}; each login belongs to one Slack user. Remove one of the two entries (a person with two Slack accounts can use /deploy link from the other).`,
      });
    }
  }
  return problems;
}

/** Every place an access entry can be written, with its path. */
function accessEntries(config: RawConfig): Array<{ entry: string; path: ConfigPath }> {
  const found: Array<{ entry: string; path: ConfigPath }> = [];
  config.admins.forEach((entry, i) => found.push({ entry, path: ["admins", i] }));
  for (const [env, settings] of Object.entries(config.environments)) {
    settings.deployers.forEach((entry, i) => found.push({ entry, path: ["environments", env, "deployers", i] }));
    (settings.approvals?.from ?? []).forEach((entry, i) => found.push({ entry, path: ["environments", env, "approvals", "from", i] }));
  }
  for (const [service, settings] of Object.entries(config.services)) {
    for (const [env, override] of Object.entries(settings.environments)) {
      const at = ["services", service, "environments", env];
      (override.deployers ?? []).forEach((entry, i) => found.push({ entry, path: [...at, "deployers", i] }));
      (override.approvals?.from ?? []).forEach((entry, i) => found.push({ entry, path: [...at, "approvals", "from", i] }));
    }
  }
  return found;
}

/**
 * `approvals.from` that names fewer people than `required` (and no team, which may hold more)
 * could never be satisfied: every deploy there would wait until it expired.
 */
function approvalsThatCannotPass(config: RawConfig): ConfigProblem[] {
  const settings: Array<{ approvals: NonNullable<RawConfig["environments"][string]["approvals"]>; path: ConfigPath }> = [];
  for (const [env, s] of Object.entries(config.environments)) if (s.approvals) settings.push({ approvals: s.approvals, path: ["environments", env, "approvals", "required"] });
  for (const [service, s] of Object.entries(config.services)) {
    for (const [env, o] of Object.entries(s.environments)) if (o.approvals) settings.push({ approvals: o.approvals, path: ["services", service, "environments", env, "approvals", "required"] });
  }
  return settings
    .filter(({ approvals }) => approvals.from !== undefined && !approvals.from.some((e) => e.trim().startsWith("@") && e.includes("/")))
    .filter(({ approvals }) => new Set(approvals.from!.map((e) => e.trim().replace(/^@/, "").toLowerCase())).size < approvals.required)
    .map(({ approvals, path }) => ({
      path,
      message: `${approvals.required} approvals are required but from names only ${approvals.from!.length} approver(s) and no team; no deploy could ever be approved. Lower required or add approvers.`,
    }));
}

/** `declared`: the names written, so a client with a bad setting still counts as declared. */
function clientEntries(config: RawConfig, declared: readonly string[]): ConfigProblem[] {
  return accessEntries(config)
    .filter(({ entry }) => entry.trim().toLowerCase().startsWith(API_PREFIX))
    .filter(({ entry }) => !declared.some((name) => name.toLowerCase() === entry.trim().slice(API_PREFIX.length).toLowerCase()))
    .map(({ entry, path }) => {
      const name = entry.trim().slice(API_PREFIX.length);
      return { path, message: `"${entry}" names no API client: declare ${name} under api_clients${didYouMean(name, declared)}` };
    });
}

const GLOB = /[*?]/;

function clientScopes(config: RawConfig, envNames: readonly string[], serviceNames: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, client] of Object.entries(config.api_clients)) {
    client.environments.forEach((env, i) => {
      if (!envNames.includes(env)) {
        problems.push({ path: ["api_clients", name, "environments", i], message: `unknown environment "${env}"${didYouMean(env, envNames)}; defined: ${envNames.join(", ")}` });
      }
    });
    client.services.forEach((service, i) => {
      if (!GLOB.test(service) && !serviceNames.includes(service)) {
        problems.push({ path: ["api_clients", name, "services", i], message: `unknown service "${service}"${didYouMean(service, serviceNames)}; use a service name or a glob like "*"` });
      }
    });
  }
  return problems;
}
