import type { Insertable, Selectable, Updateable } from "kysely";
import type { AuditEntry, AuditRecord } from "../../core/model/audit.js";
import type { ChangeSet } from "../../core/model/change-set.js";
import type { Deploy, DeployPatch, NewDeploy, StageProgress, Verification } from "../../core/model/deploy.js";
import type { Lock } from "../../core/model/lock.js";
import type { AuditTable, DeploysTable, LocksTable } from "./schema.js";

type DeployRow = Selectable<DeploysTable>;

/** Drops null and undefined values: the model has optional fields, never nulls. */
function present<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  const result: Record<string, unknown> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== null && value !== undefined) result[key] = value;
  }
  return result as { [K in keyof T]?: NonNullable<T[K]> };
}

/**
 * Columns that are compared or ordered as text must hold one canonical form, or
 * "…+02:00" would sort against "…Z" by characters instead of by time.
 */
export function canonicalTime(value: string): string {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) throw new Error(`store: "${value}" is not an ISO-8601 timestamp`);
  return new Date(millis).toISOString();
}

const canonicalOrNull = (value: string | undefined): string | null => (value === undefined ? null : canonicalTime(value));

/**
 * Queue reads map hundreds of rows per call, so optional fields are set one by one rather than
 * through an intermediate object (same result as spreading `present({...})`, in the same key order).
 */
export function deployFromRow(row: DeployRow): Deploy {
  const deploy: Record<string, unknown> = {
    id: row.id,
    service: row.service,
    env: row.env,
    sha: row.sha,
    ref: row.ref,
    actor: row.actor,
    surface: row.surface,
    automatic: Boolean(row.automatic),
    forced: Boolean(row.forced),
    state: row.state,
    seq: Number(row.seq),
    pipelineName: row.pipeline_name,
    stages: JSON.parse(row.stages) as StageProgress[],
    requestedAt: row.requested_at,
  };
  if (row.actor_login != null) deploy.actorLogin = row.actor_login;
  if (row.actor_key != null) deploy.actorKey = row.actor_key;
  if (row.reason != null) deploy.reason = row.reason;
  if (row.execution_id != null) deploy.executionId = row.execution_id;
  if (row.artifact != null) deploy.artifact = row.artifact;
  if (row.error != null) deploy.error = row.error;
  if (row.reason_code != null) deploy.reasonCode = row.reason_code;
  if (row.waiting_reason != null) deploy.waitingReason = row.waiting_reason;
  if (row.started_at != null) deploy.startedAt = row.started_at;
  if (row.finished_at != null) deploy.finishedAt = row.finished_at;
  if (row.slack_channel != null) deploy.slackChannel = row.slack_channel;
  if (row.slack_ts != null) deploy.slackTs = row.slack_ts;
  if (row.github_repo != null) deploy.githubRepo = row.github_repo;
  if (row.github_deployment_id != null) deploy.githubDeploymentId = Number(row.github_deployment_id);
  if (row.pr_number != null) deploy.prNumber = Number(row.pr_number);
  if (row.pr_comment_id != null) deploy.prCommentId = Number(row.pr_comment_id);
  if (row.command_comment_id != null) deploy.commandCommentId = Number(row.command_comment_id);
  if (row.rollback_of != null) deploy.rollbackOf = row.rollback_of;
  if (row.auto_rollback_id != null) deploy.autoRollbackId = row.auto_rollback_id;
  if (row.verification != null) deploy.verification = JSON.parse(row.verification) as Verification;
  if (row.rollback_target_execution_id != null) deploy.rollbackTargetExecutionId = row.rollback_target_execution_id;
  if (row.owner_id != null) deploy.ownerId = row.owner_id;
  if (row.lease_expires_at != null) deploy.leaseExpiresAt = row.lease_expires_at;
  if (row.notified_state != null) deploy.notifiedState = row.notified_state;
  if (row.change_set != null) {
    const changeSet = parseChangeSet(row.change_set);
    if (changeSet) deploy.changeSet = changeSet;
  }
  if (row.approvals_required != null && row.approval_expires_at != null) {
    deploy.approval = { required: Number(row.approvals_required), expiresAt: row.approval_expires_at, approvedBy: JSON.parse(row.approved_by ?? "[]") as string[] };
  }
  return deploy as unknown as Deploy;
}

/** A change set is information: a damaged one is left out rather than failing every read of its deploy. */
function parseChangeSet(text: string): ChangeSet | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && typeof (value as { status?: unknown }).status === "string" ? (value as ChangeSet) : undefined;
  } catch {
    return undefined;
  }
}

export function newDeployRow(deploy: NewDeploy): Insertable<DeploysTable> {
  return {
    id: deploy.id,
    service: deploy.service,
    env: deploy.env,
    sha: deploy.sha,
    ref: deploy.ref,
    actor: deploy.actor,
    actor_login: deploy.actorLogin ?? null,
    actor_key: deploy.actorKey ?? null,
    surface: deploy.surface,
    automatic: deploy.automatic ? 1 : 0,
    reason: deploy.reason ?? null,
    forced: deploy.forced ? 1 : 0,
    state: deploy.approval ? "awaiting_approval" : "queued",
    pipeline_name: deploy.pipelineName,
    execution_id: deploy.executionId ?? null,
    stages: JSON.stringify(deploy.stages ?? []),
    artifact: deploy.artifact ?? null,
    error: deploy.error ?? null,
    reason_code: deploy.reasonCode ?? null,
    waiting_reason: deploy.waitingReason ?? null,
    requested_at: deploy.requestedAt,
    started_at: deploy.startedAt ?? null,
    finished_at: canonicalOrNull(deploy.finishedAt),
    slack_channel: deploy.slackChannel ?? null,
    slack_ts: deploy.slackTs ?? null,
    github_repo: deploy.githubRepo ?? null,
    github_deployment_id: deploy.githubDeploymentId ?? null,
    pr_number: deploy.prNumber ?? null,
    pr_comment_id: deploy.prCommentId ?? null,
    command_comment_id: deploy.commandCommentId ?? null,
    rollback_of: deploy.rollbackOf ?? null,
    rollback_target_execution_id: deploy.rollbackTargetExecutionId ?? null,
    owner_id: deploy.ownerId ?? null,
    lease_expires_at: canonicalOrNull(deploy.leaseExpiresAt),
    notified_state: null,
    change_set: deploy.changeSet ? JSON.stringify(deploy.changeSet) : null,
    approvals_required: deploy.approval?.required ?? null,
    approval_expires_at: deploy.approval ? canonicalTime(deploy.approval.expiresAt) : null,
    approved_by: deploy.approval ? "[]" : null,
    auto_rollback_id: deploy.autoRollbackId ?? null,
    verification: deploy.verification ? JSON.stringify(deploy.verification) : null,
  };
}

const PATCH_COLUMNS = {
  state: "state",
  executionId: "execution_id",
  stages: "stages",
  artifact: "artifact",
  error: "error",
  reasonCode: "reason_code",
  waitingReason: "waiting_reason",
  startedAt: "started_at",
  finishedAt: "finished_at",
  slackChannel: "slack_channel",
  slackTs: "slack_ts",
  githubDeploymentId: "github_deployment_id",
  prCommentId: "pr_comment_id",
  rollbackTargetExecutionId: "rollback_target_execution_id",
  ownerId: "owner_id",
  leaseExpiresAt: "lease_expires_at",
  changeSet: "change_set",
  autoRollbackId: "auto_rollback_id",
  verification: "verification",
} as const satisfies Record<keyof DeployPatch, keyof DeploysTable>;

/**
 * A key that is present with the value undefined clears the column (e.g. `waitingReason:
 * undefined` once a deploy starts); a key that is absent leaves the column as it is.
 */
export function patchRow(patch: DeployPatch): Updateable<DeploysTable> {
  const row: Record<string, unknown> = {};
  for (const field of Object.keys(PATCH_COLUMNS) as Array<keyof DeployPatch>) {
    if (!(field in patch)) continue;
    const value = patch[field];
    const column = PATCH_COLUMNS[field];
    if (field === "stages") row[column] = JSON.stringify(value ?? []);
    else if (field === "changeSet" || field === "verification") row[column] = value === undefined ? null : JSON.stringify(value);
    else if (field === "finishedAt" || field === "leaseExpiresAt") row[column] = canonicalOrNull(value as string | undefined);
    else row[column] = value ?? null;
  }
  if (row.state === null) delete row.state;
  return row as Updateable<DeploysTable>;
}

export function lockFromRow(row: Selectable<LocksTable>): Lock {
  return {
    service: row.service,
    env: row.env,
    owner: row.owner,
    ownerKey: row.owner_key,
    createdAt: row.created_at,
    ...present({ reason: row.reason, expiresAt: row.expires_at }),
  };
}

export function lockRow(lock: Lock): Insertable<LocksTable> {
  return {
    service: lock.service,
    env: lock.env,
    owner: lock.owner,
    owner_key: lock.ownerKey,
    reason: lock.reason ?? null,
    created_at: canonicalTime(lock.createdAt),
    expires_at: canonicalOrNull(lock.expiresAt),
  };
}

export function auditFromRow(row: Selectable<AuditTable>): AuditEntry {
  return {
    at: row.at,
    actor: row.actor,
    surface: row.surface,
    action: row.action,
    outcome: row.outcome,
    ...present({
      service: row.service,
      env: row.env,
      deployId: row.deploy_id,
      reasonCode: row.reason_code,
      message: row.message,
    }),
  };
}

/** An entry with its id and actor key, for the audit API. */
export function auditRecordFromRow(row: Selectable<AuditTable>): AuditRecord {
  return { id: row.id, ...auditFromRow(row), actorKey: row.actor_key ?? row.actor.toLowerCase() };
}

export function auditRow(entry: AuditEntry): Insertable<AuditTable> {
  return {
    at: entry.at,
    actor: entry.actor,
    actor_key: entry.actorKey ?? entry.actor.toLowerCase(),
    surface: entry.surface,
    action: entry.action,
    service: entry.service ?? null,
    env: entry.env ?? null,
    deploy_id: entry.deployId ?? null,
    outcome: entry.outcome,
    reason_code: entry.reasonCode ?? null,
    message: entry.message ?? null,
  };
}
