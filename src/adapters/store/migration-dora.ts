import type { Kysely } from "kysely";
import { backfillDoraFacts } from "./dora-queries.js";
import type { StoreSchema } from "./schema.js";
import type { StoreDialect } from "./store-context.js";

/**
 * 0015_dora: the facts DORA metrics read, kept small so that a year of history (a hundred
 * thousand deploys) is read in milliseconds rather than parsed from every deploy's JSON:
 * - dora_outcomes: one row per deploy that ran and ended, indexed by end time (all targets) and
 *   by target and end time (one target);
 * - dora_changes_live: each merged pull request's first time live per (service, env), by time;
 * - pull_merges: when each pull request was merged (from the merge webhook; earlier merges are
 *   unknown, so lead times start with the merges seen after this migration).
 * Also an index for the promotion check (`hasSucceeded`: was this sha ever live there), which
 * otherwise reads every succeeded deploy of the target. Deploys that ended before the migration
 * are backfilled in batches.
 */
export async function addDoraFacts(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable("dora_outcomes")
    .addColumn("deploy_id", "text", (col) => col.primaryKey())
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("requested_at", "text", (col) => col.notNull())
    .addColumn("finished_at", "text", (col) => col.notNull())
    .addColumn("stages_started", "text", (col) => col.notNull())
    .addColumn("rollback_of", "text")
    .execute();
  await db.schema.createIndex("dora_outcomes_finished").on("dora_outcomes").column("finished_at").execute();
  await db.schema.createIndex("dora_outcomes_target").on("dora_outcomes").columns(["service", "env", "finished_at"]).execute();
  await db.schema
    .createTable("dora_changes_live")
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("number", "integer", (col) => col.notNull())
    .addColumn("deploy_id", "text", (col) => col.notNull())
    .addColumn("live_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("dora_changes_live_pk", ["service", "env", "number"])
    .execute();
  await db.schema.createIndex("dora_changes_live_at").on("dora_changes_live").column("live_at").execute();
  await db.schema
    .createTable("pull_merges")
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("number", "integer", (col) => col.notNull())
    .addColumn("repo", "text", (col) => col.notNull())
    .addColumn("merge_sha", "text", (col) => col.notNull())
    .addColumn("merged_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("pull_merges_pk", ["service", "number"])
    .execute();
  await db.schema.createIndex("deploys_target_sha").on("deploys").columns(["service", "env", "sha"]).execute();
  await backfillDoraFacts({ db: db as Kysely<StoreSchema>, dialect });
}
