import { stageRunMs, type StageRun } from "../../core/model/stage-run.js";
import { literalLimit, write, type StoreContext } from "./store-context.js";

/** One statement; a run already recorded (a report sent again after a restart) is kept as it was. */
export async function recordStageRuns(ctx: StoreContext, runs: readonly StageRun[]): Promise<void> {
  if (runs.length === 0) return;
  const rows = runs.map((r) => ({
    deploy_id: r.deployId,
    stage: r.stage,
    service: r.service,
    env: r.env,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_ms: stageRunMs(r),
  }));
  await write(ctx, (trx) => trx.insertInto("stage_runs").values(rows).onConflict((oc) => oc.columns(["deploy_id", "stage"]).doNothing()).execute());
}

/** Served by the stage_runs_recent index alone, newest first. */
export async function recentStageDurations(ctx: StoreContext, service: string, env: string, stage: string, limit: number): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom("stage_runs")
    .select("duration_ms")
    .where("service", "=", service)
    .where("env", "=", env)
    .where("stage", "=", stage)
    .orderBy("finished_at", "desc")
    .orderBy("deploy_id", "desc")
    .limit(literalLimit(limit))
    .execute();
  return rows.map((r) => Number(r.duration_ms));
}
