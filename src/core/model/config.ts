/**
 * The validated configuration as the core sees it (docs/configuration.md describes the file). The loader in src/config turns
 * whistlestop.yml (snake_case) into this shape and compiles each window's times into a
 * WindowSchedule, so the core never parses cron or time zones itself.
 */
import type { AwsSettings, PipelineLocation } from "./pipeline-location.js";

export type Concurrency = "queue" | "reject";
export type RollbackMode = "rollback-stage" | "redeploy";

export interface PipelineDefaults {
  /** Name template; `{service}` and `{env}` are replaced. */
  readonly pipeline: string;
  readonly sourceAction: string;
  readonly deployStage: string;
  readonly concurrency: Concurrency;
  readonly rollback: RollbackMode;
  /** Region and role for the pipelines; environments and service environments may override. */
  readonly aws?: AwsSettings;
}

/**
 * Four-eyes deploys (docs/configuration.md, approvals): a deploy that passes the policies waits until
 * `required` distinct approvers other than the requester approve it, or until it expires.
 */
export interface ApprovalSettings {
  readonly required: number;
  /** Access entries that may approve; absent = whoever may deploy there (its deployers and admins, or anyone with write access when it lists none). */
  readonly from?: readonly string[];
  readonly expiresMs: number;
}

/** Settings of an environment; services may override any of them per environment. */
export interface EnvironmentSettings {
  readonly promoteFrom?: string;
  readonly confirm: boolean;
  /** GitHub logins, `@org/team`, `slack:U…` or `api:<client>`. Empty: anyone with verified repo write. */
  readonly deployers: readonly string[];
  /** Template with `{service}` and `{env}`. */
  readonly url?: string;
  readonly enforceInPipeline: boolean;
  /**
   * The GitHub environment this one is called on GitHub (protection rules, Deployments);
   * absent = the environment's own name, compared without regard to case.
   */
  readonly githubEnvironment?: string;
  readonly aws?: AwsSettings;
  /** A service's environment that sets approvals replaces the environment's whole setting. */
  readonly approvals?: ApprovalSettings;
  /** When a deploy here ends, mention the authors of the PRs it shipped in its card's thread. */
  readonly mentionAuthors?: boolean;
  /**
   * What a deploy that fails in or after the deploy stage leads to: `rollback` starts a rollback to
   * the previous release at once (docs/configuration.md, on_failure); `notify` (or absent) only reports it.
   */
  readonly onFailure?: OnFailure;
  /**
   * Alarm verification (docs/configuration.md, verify): after its pipeline succeeds a deploy watches
   * these CloudWatch alarms for a while before it counts as succeeded. `false` (a service
   * environment's `verify: false`) turns off what the environment sets.
   */
  readonly verify?: VerifySettings | false;
  /**
   * A lock here older than this gets a direct message to its owner, repeated each period (absent:
   * DEFAULT_LOCK_REMINDER_MS); false: never.
   */
  readonly lockReminderMs?: number | false;
  /**
   * How long one stage may run before the watchdog warns in the deploy's thread; absent: three times
   * the median of the stage's recent successful runs, at least 15 minutes (docs/configuration.md).
   */
  readonly stageTimeoutMs?: number;
}

/** Four hours: a lock taken in the morning and forgotten is noticed by the afternoon. */
export const DEFAULT_LOCK_REMINDER_MS = 4 * 3_600_000;

export type OnFailure = "rollback" | "notify";

export interface VerifySettings {
  /** CloudWatch alarm names, in the pipeline's account and region. */
  readonly alarms: readonly string[];
  /** How long the deploy is watched after its pipeline succeeded. */
  readonly forMs: number;
  /** What an alarm in ALARM leads to once the deploy is failed: a rollback, or only the report. */
  readonly onAlarm: OnFailure;
}

export interface ServiceEnvironmentOverride extends Partial<EnvironmentSettings>, Partial<PipelineDefaults> {}

export interface ServiceConfig {
  readonly repo: string;
  readonly slackChannel?: string;
  readonly onMerge: readonly string[];
  /** Display order of stages; when absent the pipeline's own order is used. */
  readonly stages?: readonly string[];
  /** `/deploy` on a pull request whose head is in a fork may deploy it (default: refused, fork_not_allowed). */
  readonly allowForkDeploys?: boolean;
  /** Each PR a deploy of this service ships gets one comment, edited in place, saying where it is live. */
  readonly notifyPrs?: boolean;
  readonly environments: Readonly<Record<string, ServiceEnvironmentOverride>>;
}

/** One occurrence of a window: [start, end). */
export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

/** When a window is open. Built outside the core (croner, Intl) so the core stays pure. */
export interface WindowSchedule {
  /** The occurrence open at `at` (the one ending last if several overlap), or null. */
  openAt(at: Date): Interval | null;
  /** The first occurrence that starts strictly after `at`, or null if there is none. */
  nextAfter(at: Date): Interval | null;
}

export interface WindowConfig {
  readonly name: string;
  readonly kind: "deny" | "allow";
  /** Environment names; empty means all. */
  readonly environments: readonly string[];
  /** Glob patterns (`*`, `?`); empty means all. */
  readonly services: readonly string[];
  readonly reason?: string;
  readonly allowRollback: boolean;
  /** False: no Slack messages before, at the start and at the end of each occurrence (absent: announced). */
  readonly announce?: boolean;
  readonly timezone: string;
  readonly schedule: WindowSchedule;
}

/** What an API client may ask for, beyond the read-only verbs every client has. */
export const CLIENT_VERBS = ["deploy", "rollback", "lock", "unlock", "cancel", "check", "approve", "reject"] as const;
export type ClientVerb = (typeof CLIENT_VERBS)[number];

/** One entry of `api_clients`: a token name and what its requests may do. */
export interface ApiClientConfig {
  readonly may: readonly ClientVerb[];
  /** Service names or globs (`*`, `?`). */
  readonly services: readonly string[];
  /** Environment names. */
  readonly environments: readonly string[];
}

export interface WhistlestopConfig {
  readonly timezone: string;
  readonly defaults: PipelineDefaults;
  readonly environments: Readonly<Record<string, EnvironmentSettings>>;
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly windows: readonly WindowConfig[];
  /** Slack user id → GitHub login. */
  readonly people: Readonly<Record<string, string>>;
  /** GitHub logins or `@org/team` entries (or `slack:U…`, `api:<client>`). */
  readonly admins: readonly string[];
  /** Slack channel where forced deploys are announced. */
  readonly announceChannel?: string;
  /** How long audit rows, idempotency keys, finished requests and stage runs (a stage's newest always stay) are kept; default DEFAULT_RETENTION_MS. */
  readonly retentionMs?: number;
  /** API token names → their scope; every name in WHISTLESTOP_API_TOKENS must be here. */
  readonly apiClients: Readonly<Record<string, ApiClientConfig>>;
  /** The web dashboard; absent in configurations built without the loader (tests): nobody extra may view. */
  readonly dashboard?: DashboardSettings;
}

export interface DashboardSettings {
  /**
   * GitHub logins or `@org/team` entries who may open the dashboard, besides the members of the
   * organisations that own the configured repositories.
   */
  readonly viewers: readonly string[];
}

/** 400 days: a year of history plus a quarter, for yearly reviews. */
export const DEFAULT_RETENTION_MS = 400 * 24 * 3_600_000;

/** Everything known about deploying one service to one environment, overrides applied. */
export interface Target extends PipelineDefaults, EnvironmentSettings {
  readonly service: string;
  readonly env: string;
  readonly repo: string;
  readonly slackChannel?: string;
  readonly stages?: readonly string[];
  /** Environment URL with the template filled in. */
  readonly environmentUrl?: string;
  /** The AWS settings that apply here, nearest level first (see mergeAws). */
  readonly aws: AwsSettings;
  /** Where the pipeline lives and which role reaches it. */
  readonly location: PipelineLocation;
}
