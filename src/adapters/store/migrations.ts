import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { addApprovals } from "./migration-approvals.js";
import { addPrNotices } from "./migration-pr-notices.js";
import { addVerifications } from "./migration-verifications.js";
import { addSentReminders } from "./migration-reminders.js";
import { addStageRuns } from "./migration-stage-runs.js";
import { addDashboardSessions } from "./migration-dashboard-sessions.js";
import { addDoraFacts } from "./migration-dora.js";
import type { StoreDialect } from "./store-context.js";

/**
 * Migrations live in code (no files to ship or find at run time). Names sort in the order
 * they run; never edit a released one — add the next.
 */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    "0001_initial": { up: (db) => createInitialSchema(db, dialect) },
    "0002_accepted_requests": { up: (db) => createAcceptedRequests(db) },
    "0003_identity": { up: (db) => createIdentityTables(db) },
    "0004_audit": { up: (db) => indexAuditForQueries(db) },
    "0005_operations": { up: (db) => createOperations(db) },
    "0006_deploy_decisions": { up: (db) => recordDeployDecisions(db) },
    "0007_change_sets": { up: (db) => addChangeSets(db) },
    "0008_approvals": { up: (db) => addApprovals(db, dialect) },
    "0009_pr_notices": { up: (db) => addPrNotices(db, dialect) },
    "0010_auto_rollbacks": { up: (db) => addAutoRollbacks(db) },
    "0011_verifications": { up: (db) => addVerifications(db, dialect) },
    "0012_sent_reminders": { up: (db) => addSentReminders(db) },
    "0013_stage_runs": { up: (db) => addStageRuns(db) },
    "0014_dashboard_sessions": { up: (db) => addDashboardSessions(db) },
    "0015_dora": { up: (db) => addDoraFacts(db, dialect) },
  };
}

/** A failed deploy points at the automatic rollback it started (the rollback points back with rollback_of). */
async function addAutoRollbacks(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("deploys").addColumn("auto_rollback_id", "text").execute();
}

/** Each deploy's change set (what it ships), as JSON text; older deploys have none. */
async function addChangeSets(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("deploys").addColumn("change_set", "text").execute();
}

/**
 * A deploy keeps whose it is as a lock owner key (a queued deploy is re-checked against locks
 * with the key its requester had, not one guessed from a display name), and the reason code of a
 * drop or a supersede next to the words in `error`. Older rows keep null: their key is derived
 * from the record as before, and their drops have words only.
 */
async function recordDeployDecisions(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("deploys").addColumn("actor_key", "text").execute();
  await db.schema.alterTable("deploys").addColumn("reason_code", "text").execute();
}

/**
 * The audit API filters by service and env, by actor and by time, newest first: an actor key to
 * match people however they were named, and an index per filter (each ending in id, the order
 * and the paging cursor). Older rows get their display name as key, the best that is known.
 */
async function indexAuditForQueries(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("audit").addColumn("actor_key", "text").execute();
  await sql`update audit set actor_key = lower(actor) where actor_key is null`.execute(db);
  await db.schema.createIndex("audit_service_env").on("audit").columns(["service", "env", "id"]).execute();
  await db.schema.createIndex("audit_actor_key").on("audit").columns(["actor_key", "id"]).execute();
  await db.schema.createIndex("audit_at").on("audit").columns(["at", "id"]).execute();
}

/** The store's own facts, replica ids, and the indexes that pipeline events and retention read. */
async function createOperations(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("store_meta")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("value", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createTable("replicas")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("instance", "text", (col) => col.notNull())
    .addColumn("host", "text", (col) => col.notNull())
    .addColumn("pid", "integer", (col) => col.notNull())
    .addColumn("started_at", "text", (col) => col.notNull())
    .addColumn("heartbeat_until", "text", (col) => col.notNull())
    .execute();
  // findRunningByExecution: only running deploys are indexed, so the index stays small.
  await db.schema
    .createIndex("deploys_running_execution")
    .on("deploys")
    .column("execution_id")
    .where(sql<boolean>`state = 'running'`)
    .execute();
  // Daily pruning finds old rows without reading every row (audit rows by 0004's audit_at).
  await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").column("created_at").execute();
}

/** Slack links, one-time OAuth states and personal API tokens (secrets kept as sha256 only). */
async function createIdentityTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("slack_links")
    .addColumn("team_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("login", "text", (col) => col.notNull())
    .addColumn("linked_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("slack_links_pk", ["team_id", "user_id"])
    .execute();
  await db.schema
    .createTable("oauth_states")
    .addColumn("state_hash", "text", (col) => col.primaryKey())
    .addColumn("team_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("expires_at", "text", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("oauth_states_expiry").on("oauth_states").column("expires_at").execute();
  await db.schema
    .createTable("personal_tokens")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("team_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("login", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("expires_at", "text", (col) => col.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("personal_tokens_owner").on("personal_tokens").columns(["team_id", "user_id", "created_at"]).execute();
}

/** Requests acknowledged before their work is done (Slack commands, webhooks), until it is. */
async function createAcceptedRequests(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("accepted_requests")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("payload", "text", (col) => col.notNull())
    .addColumn("received_at", "text", (col) => col.notNull())
    .addColumn("owner_id", "text", (col) => col.notNull())
    .addColumn("lease_expires_at", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(1))
    .addColumn("finished_at", "text")
    .addColumn("outcome", "text")
    .execute();
  // claimRequests and extendRequestLeases read only the unfinished rows, however many finished ones there are.
  await db.schema
    .createIndex("accepted_requests_unfinished")
    .on("accepted_requests")
    .columns(["lease_expires_at", "received_at"])
    .where(sql<boolean>`finished_at is null`)
    .execute();
  await db.schema.createIndex("accepted_requests_finished").on("accepted_requests").column("finished_at").execute();
}

async function createInitialSchema(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const postgres = dialect === "postgres";
  // GitHub ids (comments, deployments) already exceed 32 bits.
  const githubId = postgres ? "bigint" : "integer";

  await db.schema
    .createTable("deploys")
    .addColumn("seq", postgres ? "serial" : "integer", (col) => (postgres ? col.primaryKey() : col.primaryKey().autoIncrement()))
    .addColumn("id", "text", (col) => col.notNull().unique())
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("sha", "text", (col) => col.notNull())
    .addColumn("ref", "text", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("actor_login", "text")
    .addColumn("surface", "text", (col) => col.notNull())
    .addColumn("automatic", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("reason", "text")
    .addColumn("forced", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("state", "text", (col) =>
      col.notNull().check(sql`state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn("pipeline_name", "text", (col) => col.notNull())
    .addColumn("execution_id", "text")
    .addColumn("stages", "text", (col) => col.notNull().defaultTo("[]"))
    .addColumn("artifact", "text")
    .addColumn("error", "text")
    .addColumn("waiting_reason", "text")
    .addColumn("requested_at", "text", (col) => col.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("slack_channel", "text")
    .addColumn("slack_ts", "text")
    .addColumn("github_repo", "text")
    .addColumn("github_deployment_id", githubId)
    .addColumn("pr_number", "integer")
    .addColumn("pr_comment_id", githubId)
    .addColumn("command_comment_id", githubId)
    .addColumn("rollback_of", "text")
    .addColumn("rollback_target_execution_id", "text")
    .addColumn("owner_id", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("notified_state", "text")
    .execute();

  // listQueue, getRunning fallback, hasSucceeded, listDeploys by target.
  await db.schema.createIndex("deploys_target_state_seq").on("deploys").columns(["service", "env", "state", "seq"]).execute();
  // listRunning, listQueuedTargets.
  await db.schema.createIndex("deploys_state").on("deploys").columns(["state", "seq"]).execute();
  // listSucceeded: newest finished first within a target.
  await db.schema
    .createIndex("deploys_target_state_finished")
    .on("deploys")
    .columns(["service", "env", "state", "finished_at"])
    .execute();
  // listUnnotified stays cheap however long the history grows: only lagging rows are indexed.
  await db.schema
    .createIndex("deploys_unnotified")
    .on("deploys")
    .column("seq")
    .where(sql<boolean>`notified_state is null or notified_state <> state`)
    .execute();

  await db.schema
    .createTable("slots")
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("deploy_id", "text", (col) => col.notNull())
    .addColumn("claimed_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("slots_pk", ["service", "env"])
    .execute();

  await db.schema
    .createTable("locks")
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("owner", "text", (col) => col.notNull())
    .addColumn("owner_key", "text", (col) => col.notNull())
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("expires_at", "text")
    .addPrimaryKeyConstraint("locks_pk", ["service", "env"])
    .execute();

  await db.schema
    .createTable("audit")
    .addColumn("id", postgres ? "bigserial" : "integer", (col) => (postgres ? col.primaryKey() : col.primaryKey().autoIncrement()))
    .addColumn("at", "text", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("surface", "text", (col) => col.notNull())
    .addColumn("action", "text", (col) => col.notNull())
    .addColumn("service", "text")
    .addColumn("env", "text")
    .addColumn("deploy_id", "text")
    .addColumn("outcome", "text", (col) => col.notNull())
    .addColumn("reason_code", "text")
    .addColumn("message", "text")
    .execute();
  await db.schema.createIndex("audit_deploy").on("audit").columns(["deploy_id", "id"]).execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("scope", "text", (col) => col.notNull())
    .addColumn("key", "text", (col) => col.notNull())
    .addColumn("deploy_id", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["scope", "key"])
    .execute();
}

export class InCodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: StoreDialect) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(storeMigrations(this.dialect));
  }
}
