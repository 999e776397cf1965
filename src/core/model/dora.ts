/**
 * The facts DORA metrics are computed from, as the store keeps them: one outcome per deploy that
 * ran and ended, each merged pull request's first time live in an environment, and when each pull
 * request was merged. Times are ISO-8601 strings, as stored.
 */

/** The periods the metrics are given for, in days. */
export const DORA_WINDOWS = [7, 30, 90] as const;
export type DoraWindow = (typeof DORA_WINDOWS)[number];

/** A deploy that started and reached a final state. */
export interface DeployOutcome {
  readonly deployId: string;
  readonly service: string;
  readonly env: string;
  readonly state: "succeeded" | "failed" | "cancelled";
  readonly requestedAt: string;
  readonly finishedAt: string;
  /** The pipeline stages that had started (running or further) when it ended, in pipeline order. */
  readonly stagesStarted: readonly string[];
  /** Set on a rollback: the deploy it rolled back. */
  readonly rollbackOf?: string;
}

/** A pull request of the service's repository that went live in (service, env) for the first time with this deploy. */
export interface ChangeLive {
  readonly service: string;
  readonly env: string;
  readonly number: number;
  readonly deployId: string;
  readonly liveAt: string;
}

/**
 * A pull request merged into the default branch of a service's repository (from the merge
 * webhook), kept per service: deploys know their service, not always their repository.
 */
export interface PullMerge {
  readonly service: string;
  readonly repo: string;
  readonly number: number;
  readonly mergeSha: string;
  readonly mergedAt: string;
}

/** A change whose merge time is known: merged at `mergedAt`, live in (service, env) at `liveAt`. */
export interface LeadTimeSample {
  readonly service: string;
  readonly env: string;
  readonly number: number;
  readonly mergedAt: string;
  readonly liveAt: string;
}

/** What the store answers for a period: outcomes that ended in it and changes that went live in it. */
export interface DoraFacts {
  readonly outcomes: readonly DeployOutcome[];
  readonly leadTimes: readonly LeadTimeSample[];
}

/** Which facts to read: from `since` on, optionally for one service and/or environment. */
export interface DoraFactQuery {
  readonly since: Date;
  readonly service?: string;
  readonly env?: string;
}
