import type { AwsSettings } from "../core/model/pipeline-location.js";
import { DEFAULT_RETENTION_MS, type ApprovalSettings, type EnvironmentSettings, type ServiceConfig, type ServiceEnvironmentOverride, type WhistlestopConfig, type VerifySettings, type WindowConfig } from "../core/model/config.js";
import { parseDuration } from "../core/time/duration.js";
import type { ConfigProblem } from "./config-problem.js";
import type { ParsedSections } from "./parse-sections.js";
import type { RawApprovals } from "./approvals-schema.js";
import type { RawVerify } from "./verify-schema.js";
import type { RawConfig, RawService, RawWindow } from "./schema.js";
import { buildWindowSchedule } from "./window-schedule.js";

type RawEnvironment = RawConfig["environments"][string];
type RawOverride = RawService["environments"][string];

type RawAws = NonNullable<RawEnvironment["aws"]>;

/** Only the fields written: a level without a region inherits the next one's. */
export function toAwsSettings(raw: RawAws | undefined): AwsSettings | undefined {
  if (!raw) return undefined;
  return {
    ...(raw.region !== undefined ? { region: raw.region } : {}),
    ...(raw.role_arn !== undefined ? { roleArn: raw.role_arn } : {}),
    ...(raw.external_id !== undefined ? { externalId: raw.external_id } : {}),
  };
}

function toApprovals(raw: RawApprovals | undefined): ApprovalSettings | undefined {
  if (!raw) return undefined;
  return { required: raw.required, ...(raw.from ? { from: raw.from } : {}), expiresMs: parseDuration(raw.expires)! };
}

function toVerify(raw: RawVerify | false): VerifySettings | false {
  return raw === false ? false : { alarms: raw.alarms, forMs: parseDuration(raw.for)!, onAlarm: raw.on_alarm };
}

/** "off" → false (no reminders); a duration → its milliseconds. */
function toLockReminder(raw: string): number | false {
  return raw === "off" ? false : parseDuration(raw)!;
}

function toEnvironment(raw: RawEnvironment): EnvironmentSettings {
  return {
    promoteFrom: raw.promote_from,
    confirm: raw.confirm,
    deployers: raw.deployers,
    url: raw.url,
    enforceInPipeline: raw.enforce_in_pipeline,
    ...(raw.github_environment !== undefined ? { githubEnvironment: raw.github_environment } : {}),
    aws: toAwsSettings(raw.aws),
    ...(raw.approvals ? { approvals: toApprovals(raw.approvals)! } : {}),
    ...(raw.mention_authors ? { mentionAuthors: true } : {}),
    onFailure: raw.on_failure,
    ...(raw.verify !== undefined ? { verify: toVerify(raw.verify) } : {}),
    lockReminderMs: toLockReminder(raw.lock_reminder),
    ...(raw.stage_timeout !== undefined ? { stageTimeoutMs: parseDuration(raw.stage_timeout)! } : {}),
  };
}

/** Only the fields the file sets, so resolveTarget's spread does not blank inherited settings. */
function toOverride(raw: RawOverride): ServiceEnvironmentOverride {
  const entries: [keyof ServiceEnvironmentOverride, unknown][] = [
    ["promoteFrom", raw.promote_from],
    ["confirm", raw.confirm],
    ["deployers", raw.deployers],
    ["url", raw.url],
    ["enforceInPipeline", raw.enforce_in_pipeline],
    ["githubEnvironment", raw.github_environment],
    ["onFailure", raw.on_failure],
    ["lockReminderMs", raw.lock_reminder === undefined ? undefined : toLockReminder(raw.lock_reminder)],
    ["pipeline", raw.pipeline],
    ["sourceAction", raw.source_action],
    ["deployStage", raw.deploy_stage],
    ["concurrency", raw.concurrency],
    ["rollback", raw.rollback],
    ["aws", toAwsSettings(raw.aws)],
    ["approvals", toApprovals(raw.approvals)],
    ["mentionAuthors", raw.mention_authors],
    ["verify", raw.verify === undefined ? undefined : toVerify(raw.verify)],
    ["stageTimeoutMs", raw.stage_timeout === undefined ? undefined : parseDuration(raw.stage_timeout)],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as ServiceEnvironmentOverride;
}

function toService(raw: RawService): ServiceConfig {
  return {
    repo: raw.repo,
    slackChannel: raw.slack_channel,
    onMerge: raw.on_merge,
    stages: raw.stages,
    ...(raw.allow_fork_deploys ? { allowForkDeploys: true } : {}),
    ...(raw.notify_prs ? { notifyPrs: true } : {}),
    environments: Object.fromEntries(Object.entries(raw.environments).map(([env, o]) => [env, toOverride(o)])),
  };
}

function toWindow(raw: RawWindow, defaultZone: string): WindowConfig {
  const timezone = raw.timezone ?? defaultZone;
  const schedule = buildWindowSchedule({
    start: raw.start,
    end: raw.end,
    cron: raw.cron,
    durationMs: raw.duration === undefined ? undefined : parseDuration(raw.duration),
    timezone,
  });
  return {
    name: raw.name,
    kind: raw.kind,
    environments: raw.environments,
    services: raw.services,
    reason: raw.reason,
    allowRollback: raw.allow_rollback,
    ...(raw.announce ? {} : { announce: false }),
    timezone,
    schedule,
  };
}

/** The core's camelCase config with windows compiled; call only once the sections have no problems. */
export function toCoreConfig(parsed: ParsedSections): { config: WhistlestopConfig; problems: ConfigProblem[] } {
  const raw = parsed.config;
  const problems: ConfigProblem[] = [];
  const windows: WindowConfig[] = [];
  raw.windows.forEach((window, i) => {
    try {
      windows.push(toWindow(window, raw.timezone));
    } catch (error) {
      problems.push({ path: ["windows", parsed.windowIndexes[i] ?? i], at: "key", message: error instanceof Error ? error.message : String(error) });
    }
  });
  const config: WhistlestopConfig = {
    timezone: raw.timezone,
    defaults: {
      pipeline: raw.defaults.pipeline,
      sourceAction: raw.defaults.source_action,
      deployStage: raw.defaults.deploy_stage,
      concurrency: raw.defaults.concurrency,
      rollback: raw.defaults.rollback,
      aws: toAwsSettings(raw.defaults.aws),
    },
    environments: Object.fromEntries(Object.entries(raw.environments).map(([name, env]) => [name, toEnvironment(env)])),
    services: Object.fromEntries(Object.entries(raw.services).map(([name, svc]) => [name, toService(svc)])),
    windows,
    people: raw.people,
    admins: raw.admins,
    ...(raw.announce_channel ? { announceChannel: raw.announce_channel } : {}),
    retentionMs: parseDuration(raw.retention) ?? DEFAULT_RETENTION_MS,
    apiClients: Object.fromEntries(Object.entries(raw.api_clients).map(([name, c]) => [name, { may: c.may, services: c.services, environments: c.environments }])),
    dashboard: { viewers: raw.dashboard.viewers },
  };
  return { config, problems };
}
