import { doraRecordOf, type DoraRecord } from "../../core/metrics/dora-record.js";
import type { Deploy } from "../../core/model/deploy.js";
import type { DeployOutcome, DoraFactQuery, DoraFacts, PullMerge } from "../../core/model/dora.js";
import { deployFromRow } from "./row-mapping.js";
import { batchedWrite, literalLimit, write, type StoreContext, type StoreTransaction } from "./store-context.js";

/** Rows per statement when backfilling: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 500;

/**
 * Keeps a deploy's DORA facts in step with it, inside the transaction that wrote it: the outcome
 * is replaced (a change set recorded after the end changes nothing in it but costs nothing either),
 * and each change's first time live is kept as it was first written.
 */
export async function recordDoraFacts(trx: StoreTransaction, deploy: Deploy): Promise<void> {
  const record = doraRecordOf(deploy);
  if (record) await writeRecords(trx, [record]);
}

async function writeRecords(trx: StoreTransaction, records: readonly DoraRecord[]): Promise<void> {
  const outcomes = records.map(({ outcome: o }) => ({
    deploy_id: o.deployId,
    service: o.service,
    env: o.env,
    state: o.state,
    requested_at: o.requestedAt,
    finished_at: o.finishedAt,
    stages_started: o.stagesStarted.join("\n"),
    rollback_of: o.rollbackOf ?? null,
  }));
  if (outcomes.length) {
    await trx
      .insertInto("dora_outcomes")
      .values(outcomes)
      .onConflict((oc) =>
        oc.column("deploy_id").doUpdateSet((eb) => ({
          state: eb.ref("excluded.state"),
          finished_at: eb.ref("excluded.finished_at"),
          stages_started: eb.ref("excluded.stages_started"),
        })),
      )
      .execute();
  }
  const changes = records.flatMap((r) => r.changes.map((c) => ({ service: c.service, env: c.env, number: c.number, deploy_id: c.deployId, live_at: c.liveAt })));
  for (let i = 0; i < changes.length; i += BATCH) {
    await trx
      .insertInto("dora_changes_live")
      .values(changes.slice(i, i + BATCH))
      .onConflict((oc) => oc.columns(["service", "env", "number"]).doNothing())
      .execute();
  }
}

export async function recordPullMerge(ctx: StoreContext, merge: PullMerge): Promise<void> {
  await batchedWrite(ctx, (trx) =>
    trx
      .insertInto("pull_merges")
      .values({ service: merge.service, number: merge.number, repo: merge.repo, merge_sha: merge.mergeSha, merged_at: new Date(merge.mergedAt).toISOString() })
      .onConflict((oc) => oc.columns(["service", "number"]).doNothing())
      .execute(),
  );
}

/** Two statements, each on an index by time (or by target and time). */
export async function readDoraFacts(ctx: StoreContext, query: DoraFactQuery): Promise<DoraFacts> {
  const since = query.since.toISOString();
  const [outcomeRows, leadRows] = await Promise.all([
    ctx.db
      .selectFrom("dora_outcomes")
      .select(["deploy_id", "service", "env", "state", "requested_at", "finished_at", "stages_started", "rollback_of"])
      .where("finished_at", ">=", since)
      .$if(query.service !== undefined, (qb) => qb.where("service", "=", query.service!))
      .$if(query.env !== undefined, (qb) => qb.where("env", "=", query.env!))
      .execute(),
    ctx.db
      .selectFrom("dora_changes_live as live")
      .innerJoin("pull_merges as merge", (join) => join.onRef("merge.service", "=", "live.service").onRef("merge.number", "=", "live.number"))
      .select(["live.service", "live.env", "live.number", "live.live_at", "merge.merged_at"])
      .where("live.live_at", ">=", since)
      .$if(query.service !== undefined, (qb) => qb.where("live.service", "=", query.service!))
      .$if(query.env !== undefined, (qb) => qb.where("live.env", "=", query.env!))
      .execute(),
  ]);
  return {
    outcomes: outcomeRows.map(
      (r): DeployOutcome => ({
        deployId: r.deploy_id,
        service: r.service,
        env: r.env,
        state: r.state,
        requestedAt: r.requested_at,
        finishedAt: r.finished_at,
        stagesStarted: r.stages_started === "" ? [] : r.stages_started.split("\n"),
        ...(r.rollback_of !== null ? { rollbackOf: r.rollback_of } : {}),
      }),
    ),
    leadTimes: leadRows.map((r) => ({ service: r.service, env: r.env, number: Number(r.number), liveAt: r.live_at, mergedAt: r.merged_at })),
  };
}

/**
 * Records the facts of every deploy that had already ended (the migration that adds the tables,
 * and a history imported for a benchmark), oldest first, a batch per transaction.
 */
export async function backfillDoraFacts(ctx: StoreContext): Promise<number> {
  let after = 0;
  let recorded = 0;
  for (;;) {
    const rows = await ctx.db
      .selectFrom("deploys")
      .selectAll()
      .where("seq", ">", after)
      .where("state", "in", ["succeeded", "failed", "cancelled"])
      .orderBy("seq")
      .limit(literalLimit(BATCH))
      .execute();
    if (rows.length === 0) return recorded;
    after = Number(rows.at(-1)!.seq);
    const records = rows.map((row) => doraRecordOf(deployFromRow(row))).filter((r): r is DoraRecord => r !== undefined);
    // Inside a migration the database is already a transaction; elsewhere each batch is one.
    if (ctx.db.isTransaction) await writeRecords(ctx.db as StoreTransaction, records);
    else await write(ctx, (trx) => writeRecords(trx, records));
    recorded += records.length;
  }
}
