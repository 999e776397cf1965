import type { Deploy } from "../../core/model/deploy.js";
import type { PrunedRows, ReplicaClaim } from "../../core/ports/operations-store.js";
import { deployFromRow } from "./row-mapping.js";
import { literalLimit, write, type StoreContext } from "./store-context.js";

/** Served by a partial index on running deploys' execution ids, however long the history. */
export async function findRunningByExecution(ctx: StoreContext, executionId: string): Promise<Deploy[]> {
  const rows = await ctx.db.selectFrom("deploys").selectAll().where("execution_id", "=", executionId).where("state", "=", "running").execute();
  return rows.map(deployFromRow);
}

export async function getReplica(ctx: StoreContext, id: string): Promise<ReplicaClaim | undefined> {
  const row = await ctx.db.selectFrom("replicas").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { id: row.id, instance: row.instance, host: row.host, pid: Number(row.pid), startedAt: row.started_at, heartbeatUntil: row.heartbeat_until };
}

/** Insert when absent, else replace only the row of the instance the caller judged gone: a compare-and-set. */
export async function claimReplica(ctx: StoreContext, claim: ReplicaClaim, replacing: string | undefined): Promise<boolean> {
  const values = { instance: claim.instance, host: claim.host, pid: claim.pid, started_at: claim.startedAt, heartbeat_until: claim.heartbeatUntil };
  return write(ctx, async (trx) => {
    if (replacing === undefined) {
      const inserted = await trx
        .insertInto("replicas")
        .values({ id: claim.id, ...values })
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .executeTakeFirst();
      return inserted !== undefined;
    }
    const updated = await trx.updateTable("replicas").set(values).where("id", "=", claim.id).where("instance", "=", replacing).executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  });
}

export async function renewReplica(ctx: StoreContext, id: string, instance: string, until: Date): Promise<boolean> {
  const updated = await write(ctx, (trx) =>
    trx.updateTable("replicas").set({ heartbeat_until: until.toISOString() }).where("id", "=", id).where("instance", "=", instance).executeTakeFirst(),
  );
  return Number(updated.numUpdatedRows) === 1;
}

export async function releaseReplica(ctx: StoreContext, id: string, instance: string): Promise<void> {
  await write(ctx, (trx) => trx.deleteFrom("replicas").where("id", "=", id).where("instance", "=", instance).execute());
}

/**
 * The duty's row holds when it last ran. Whoever inserts it first, or moves it forward from a time
 * at least `everyMs` old, runs the duty; a concurrent caller then sees the new time and does not.
 */
export async function claimDuty(ctx: StoreContext, name: string, now: Date, everyMs: number): Promise<boolean> {
  const key = `duty:${name}`;
  const nowIso = now.toISOString();
  const dueBefore = new Date(now.getTime() - everyMs).toISOString();
  return write(ctx, async (trx) => {
    const inserted = await trx
      .insertInto("store_meta")
      .values({ key, value: nowIso })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    if (inserted) return true;
    const moved = await trx.updateTable("store_meta").set({ value: nowIso }).where("key", "=", key).where("value", "<=", dueBefore).executeTakeFirst();
    return Number(moved.numUpdatedRows) === 1;
  });
}

/**
 * One transaction. A stage run older than `before` goes only when it is not among its stage's
 * `keepStageRuns` newest in (service, env), ranked as recentStageDurations reads them (newest
 * finish first, then deploy id), so the watchdog's history of a rarely deployed stage stays.
 */
export async function pruneHistory(ctx: StoreContext, before: Date, keepStageRuns: number): Promise<PrunedRows> {
  const cutoff = before.toISOString();
  const keep = literalLimit(keepStageRuns);
  return write(ctx, async (trx) => {
    const audit = await trx.deleteFrom("audit").where("at", "<", cutoff).executeTakeFirst();
    const keys = await trx.deleteFrom("idempotency_keys").where("created_at", "<", cutoff).executeTakeFirst();
    const requests = await trx.deleteFrom("accepted_requests").where("finished_at", "<", cutoff).executeTakeFirst();
    const ranked = trx
      .selectFrom("stage_runs")
      .select(({ fn }) => [
        "deploy_id",
        "stage",
        fn.agg<number>("row_number").over((over) => over.partitionBy(["service", "env", "stage"]).orderBy("finished_at", "desc").orderBy("deploy_id", "desc")).as("newness"),
      ])
      .as("ranked");
    const stageRuns = await trx
      .deleteFrom("stage_runs")
      .where("finished_at", "<", cutoff)
      .where(({ eb, refTuple, selectFrom }) =>
        eb(refTuple("deploy_id", "stage"), "in", selectFrom(ranked).select(["ranked.deploy_id", "ranked.stage"]).where("ranked.newness", ">", keep).$asTuple("deploy_id", "stage")),
      )
      .executeTakeFirst();
    return { audit: Number(audit.numDeletedRows), keys: Number(keys.numDeletedRows), requests: Number(requests.numDeletedRows), stageRuns: Number(stageRuns.numDeletedRows) };
  });
}
