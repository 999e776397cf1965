import type { Generated } from "kysely";
import type { Surface } from "../../core/model/actor.js";
import type { DeployState } from "../../core/model/deploy.js";

/**
 * Row shapes of the store's tables, identical in SQLite and PostgreSQL: timestamps are ISO-8601
 * text (UTC, toISOString form, so text order is time order), booleans are 0/1 integers and
 * stages are JSON text. Keeping one physical shape lets every query be written once.
 */
export interface DeploysTable {
  /** Queue order: SQLite's rowid (AUTOINCREMENT) or a PostgreSQL serial — unique, never reused. */
  seq: Generated<number>;
  id: string;
  service: string;
  env: string;
  sha: string;
  ref: string;
  actor: string;
  actor_login: string | null;
  /** Added by 0006_deploy_decisions. */
  actor_key: string | null;
  surface: Surface;
  automatic: number;
  reason: string | null;
  forced: number;
  state: DeployState;
  pipeline_name: string;
  execution_id: string | null;
  stages: string;
  artifact: string | null;
  error: string | null;
  /** Added by 0006_deploy_decisions: the reason code of a drop or supersede. */
  reason_code: string | null;
  waiting_reason: string | null;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  slack_channel: string | null;
  slack_ts: string | null;
  github_repo: string | null;
  github_deployment_id: number | null;
  pr_number: number | null;
  pr_comment_id: number | null;
  command_comment_id: number | null;
  rollback_of: string | null;
  rollback_target_execution_id: string | null;
  owner_id: string | null;
  lease_expires_at: string | null;
  notified_state: DeployState | null;
  /** Added by 0007_change_sets: the ChangeSet as JSON text. */
  change_set: string | null;
  /** Added by 0008_approvals; set only on deploys that awaited approval. */
  approvals_required: number | null;
  approval_expires_at: string | null;
  /** JSON list of display names, in the order they approved. */
  approved_by: string | null;
  /** Added by 0010_auto_rollbacks: the automatic rollback a failed deploy started. */
  auto_rollback_id: string | null;
  /** Added by 0011_verifications: the deploy's alarm verification (Verification) as JSON text. */
  verification: string | null;
}

/** Added by 0008_approvals: one answer per (deploy, approver). */
export interface ApprovalsTable {
  deploy_id: string;
  approver_key: string;
  approver: string;
  verdict: "approved" | "rejected";
  reason: string | null;
  at: string;
}

/** The single running slot of a (service, env): its primary key is what makes "one at a time" hold. */
export interface SlotsTable {
  service: string;
  env: string;
  deploy_id: string;
  claimed_at: string;
}

export interface LocksTable {
  service: string;
  env: string;
  owner: string;
  owner_key: string;
  reason: string | null;
  created_at: string;
  expires_at: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  /** Added by 0004_audit; rows from before it were backfilled with lower(actor). */
  actor_key: string | null;
  surface: string;
  action: string;
  service: string | null;
  env: string | null;
  deploy_id: string | null;
  outcome: string;
  reason_code: string | null;
  message: string | null;
}

/**
 * Keys seen once. `scope` keeps deploy-request keys and recordKey() keys apart, so a caller
 * that records a delivery id and also passes it as a deploy's idempotency key still gets its deploy.
 */
export type KeyScope = "deploy" | "once";

export interface IdempotencyKeysTable {
  scope: KeyScope;
  key: string;
  deploy_id: string | null;
  created_at: string;
}

export interface AcceptedRequestsTable {
  key: string;
  kind: string;
  payload: string;
  received_at: string;
  owner_id: string;
  lease_expires_at: string;
  attempts: Generated<number>;
  finished_at: string | null;
  outcome: string | null;
}

export interface SlackLinksTable {
  team_id: string;
  user_id: string;
  login: string;
  linked_at: string;
}

/** Only the state's sha256 is kept: a leaked database cannot finish anyone's link. */
export interface OAuthStatesTable {
  state_hash: string;
  team_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** Only the token's sha256 is kept: a leaked database cannot act as anyone. */
export interface PersonalTokensTable {
  id: string;
  token_hash: string;
  team_id: string;
  user_id: string;
  login: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** Facts about the store itself: the schema version, which release wrote it, when duties last ran. */
export interface StoreMetaTable {
  key: string;
  value: string;
}

/** Which process holds each replica id (see ReplicaClaim). */
export interface ReplicasTable {
  id: string;
  instance: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_until: string;
}

/** Added by 0009_pr_notices: a PR's one "where is it live" comment, and who is writing it now. */
export interface PrNoticesTable {
  repo: string;
  pr_number: number;
  comment_id: number | null;
  shown: string | null;
  claimed_by: string | null;
  claim_until: string | null;
}

/** Added by 0009_pr_notices: a PR reached (service, env); taken_out_* once a rollback took it out. */
export interface PrShipmentsTable {
  repo: string;
  pr_number: number;
  service: string;
  env: string;
  deploy_id: string;
  sha: string;
  shipped_at: string;
  taken_out_by: string | null;
  taken_out_at: string | null;
}

/** Added by 0014_dashboard_sessions: a signed-in dashboard visitor (only the cookie secret's hash). */
export interface DashboardSessionsTable {
  id: string;
  token_hash: string;
  login: string;
  api_client: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** Added by 0012_sent_reminders: a reminder claimed (and, once sent_at is set, sent) for one destination. */
export interface SentRemindersTable {
  kind: string;
  subject: string;
  occurrence: string;
  channel: string;
  claimed_by: string;
  claimed_at: string;
  claim_until: string;
  sent_at: string | null;
}

/** Added by 0013_stage_runs: a stage that succeeded in a deploy, and how long it took. */
export interface StageRunsTable {
  deploy_id: string;
  stage: string;
  service: string;
  env: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
}

/** Added by 0015_dora: a deploy that ran and ended, as DORA metrics see it. */
export interface DoraOutcomesTable {
  deploy_id: string;
  service: string;
  env: string;
  state: "succeeded" | "failed" | "cancelled";
  requested_at: string;
  finished_at: string;
  /** Names of the stages that had started, one per line. */
  stages_started: string;
  rollback_of: string | null;
}

/** Added by 0015_dora: a merged pull request's first time live in (service, env). */
export interface DoraChangesLiveTable {
  service: string;
  env: string;
  number: number;
  deploy_id: string;
  live_at: string;
}

/** Added by 0015_dora: when a pull request of a service's repository was merged. */
export interface PullMergesTable {
  service: string;
  number: number;
  repo: string;
  merge_sha: string;
  merged_at: string;
}

export interface StoreSchema {
  store_meta: StoreMetaTable;
  replicas: ReplicasTable;
  slack_links: SlackLinksTable;
  oauth_states: OAuthStatesTable;
  personal_tokens: PersonalTokensTable;
  accepted_requests: AcceptedRequestsTable;
  deploys: DeploysTable;
  approvals: ApprovalsTable;
  slots: SlotsTable;
  locks: LocksTable;
  audit: AuditTable;
  idempotency_keys: IdempotencyKeysTable;
  pr_notices: PrNoticesTable;
  pr_shipments: PrShipmentsTable;
  sent_reminders: SentRemindersTable;
  stage_runs: StageRunsTable;
  dashboard_sessions: DashboardSessionsTable;
  dora_outcomes: DoraOutcomesTable;
  dora_changes_live: DoraChangesLiveTable;
  pull_merges: PullMergesTable;
}
