import { buildWindowSchedule, type WindowScheduleSpec } from "../../../src/config/window-schedule.js";
import type { EnvironmentSettings, Target, WhistlestopConfig, WindowConfig } from "../../../src/core/model/config.js";
import type { Deploy } from "../../../src/core/model/deploy.js";
import type { Lock } from "../../../src/core/model/lock.js";
import { resolveTarget } from "../../../src/core/model/resolve-target.js";
import type { PolicyInput } from "../../../src/core/policies/policy-input.js";
import { aDeploy, aGitHubActor, aLock, anApiActor, aSlackActor } from "../../kit/builders.js";

export const TZ = "America/New_York";
/** Tue Nov 3 2026, 14:30 EST: the fixed clock of these tests. */
export const NOW = new Date("2026-11-03T19:30:00Z");
export const SHA = "abc1234def5678901234567890abcdef12345678";

const env = (settings: Partial<EnvironmentSettings> = {}): EnvironmentSettings => ({
  confirm: false,
  deployers: [],
  enforceInPipeline: false,
  ...settings,
});

type WindowSpec = Partial<Omit<WindowConfig, "schedule">> & Omit<WindowScheduleSpec, "timezone"> & { timezone?: string };

/** A window with a real schedule from the config loader's builder. */
export function window(spec: WindowSpec): WindowConfig {
  const timezone = spec.timezone ?? TZ;
  return {
    name: spec.name ?? "Window",
    kind: spec.kind ?? "deny",
    environments: spec.environments ?? [],
    services: spec.services ?? [],
    reason: spec.reason,
    allowRollback: spec.allowRollback ?? true,
    timezone,
    schedule: buildWindowSchedule({ start: spec.start, end: spec.end, cron: spec.cron, durationMs: spec.durationMs, timezone }),
  };
}

export function makeConfig(overrides: Partial<WhistlestopConfig> = {}): WhistlestopConfig {
  return {
    timezone: TZ,
    defaults: { pipeline: "{service}-{env}", sourceAction: "Source", deployStage: "Deploy", concurrency: "queue", rollback: "rollback-stage" },
    environments: {
      staging: env(),
      prod: env({ promoteFrom: "staging", confirm: true, deployers: ["@hfa/engineering", "Carol", "slack:U0DEPLOYER"], enforceInPipeline: true }),
    },
    services: {
      donations: { repo: "hfa/donations", onMerge: ["staging"], environments: { prod: { pipeline: "donations-production" } } },
      events: { repo: "hfa/events", onMerge: [], environments: { prod: { concurrency: "reject" } } },
      "email-sender": { repo: "hfa/email", onMerge: [], environments: {} },
    },
    windows: [],
    people: { U024BE7LH: "octocat" },
    admins: ["@hfa/sre", "sam"],
    apiClients: {
      "ci-bot": { may: ["deploy", "rollback", "lock", "unlock", "cancel", "check"], services: ["*"], environments: ["staging", "prod"] },
      carol: { may: ["deploy"], services: ["*"], environments: ["staging", "prod"] },
      "staging-bot": { may: ["deploy"], services: ["don*"], environments: ["staging"] },
    },
    ...overrides,
  };
}

export function target(config: WhistlestopConfig, service: string, envName: string): Target {
  const t = resolveTarget(config, service, envName);
  if (!t) throw new Error(`fixture has no ${service}/${envName}`);
  return t;
}

export const github = aGitHubActor;
export const slack = aSlackActor;
export const api = anApiActor;

export const lock = (fields: Partial<Lock> & Pick<Lock, "owner">): Lock => aLock({ createdAt: "2026-11-03T19:02:00Z", ...fields });

/** A running deploy in events/prod. */
export const runningDeploy = (fields: Partial<Deploy> = {}): Deploy =>
  aDeploy({
    id: "d-123",
    service: "events",
    env: "prod",
    sha: "fedcba9876543210fedcba9876543210fedcba98",
    surface: "slack",
    pipelineName: "events-prod",
    requestedAt: "2026-11-03T19:10:00Z",
    startedAt: "2026-11-03T19:11:00Z",
    ...fields,
  });

/** A deploy by a write-access engineer to donations/prod with nothing in the way; override what a case needs. */
export function policyInput(overrides: Partial<PolicyInput> & { service?: string; env?: string } = {}): PolicyInput {
  const { service = "donations", env: envName = "prod", ...rest } = overrides;
  const config = rest.config ?? makeConfig();
  return {
    now: NOW,
    config,
    target: target(config, service, envName),
    action: "deploy",
    actor: github("dana"),
    repoPermission: "write",
    teams: new Set(["@hfa/engineering"]),
    locks: [],
    sha: SHA,
    shaSucceededInPromoteFrom: true,
    force: false,
    ...rest,
  };
}
