import type { Kysely } from "kysely";

/**
 * 0013_stage_runs: each successful stage run of a deploy (the watchdog's history). The index
 * serves reading one stage's newest runs in (service, env), however long the history grows.
 */
export async function addStageRuns(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("stage_runs")
    .addColumn("deploy_id", "text", (col) => col.notNull())
    .addColumn("stage", "text", (col) => col.notNull())
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("started_at", "text", (col) => col.notNull())
    .addColumn("finished_at", "text", (col) => col.notNull())
    .addColumn("duration_ms", "integer", (col) => col.notNull())
    .addPrimaryKeyConstraint("stage_runs_pk", ["deploy_id", "stage"])
    .execute();
  await db.schema.createIndex("stage_runs_recent").on("stage_runs").columns(["service", "env", "stage", "finished_at"]).execute();
}
