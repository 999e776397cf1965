import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { backfillDoraFacts } from "../src/adapters/store/dora-queries.js";
import { KyselyStore } from "../src/adapters/store/kysely-store.js";
import { migrateToLatest } from "../src/adapters/store/migrate-store.js";
import { openPostgresDatabase } from "../src/adapters/store/postgres-database.js";
import { newDeployRow } from "../src/adapters/store/row-mapping.js";
import { openSqliteDatabase } from "../src/adapters/store/sqlite-database.js";
import type { StoreContext, StoreDialect } from "../src/adapters/store/store-context.js";
import type { Deploy, StageProgress } from "../src/core/model/deploy.js";
import type { Store } from "../src/core/ports/store.js";

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchStore {
  readonly store: Store;
  readonly ctx: StoreContext;
  close(): Promise<void>;
}

/** A fresh store: SQLite in a file of its own, or a PostgreSQL database created for the run and dropped after it. */
export async function openBenchStore(dialect: StoreDialect, sqlitePath: string): Promise<BenchStore> {
  if (dialect === "sqlite") {
    const db = openSqliteDatabase(sqlitePath);
    await migrateToLatest(db, "sqlite");
    return { store: new KyselyStore({ db, dialect }), ctx: { db, dialect }, close: () => db.destroy() };
  }
  const name = `whistlestop_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const { db } = openPostgresDatabase({ url: url.toString() });
  await migrateToLatest(db, "postgres", { schema: "public" });
  return {
    store: new KyselyStore({ db, dialect }),
    ctx: { db, dialect },
    async close() {
      await db.destroy();
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}

const STAGES = ["Source", "Bake", "Deploy", "Verify"];
const DAY = 86_400_000;
const ROWS_PER_INSERT = 500;

/**
 * `count` finished deploys spread evenly over the last `days` days across `targets`, written in
 * batched INSERTs, then their DORA facts recorded by the store's own backfill (the code the
 * migration runs): 1 in 20 fails (half of those in the bake), 1 in 100 is a rollback of the one
 * before it; each ships one merged PR, merged 1–48 hours before it went live.
 */
export async function seedHistory(ctx: StoreContext, targets: ReadonlyArray<{ service: string; env: string }>, count: number, now: Date, days = 365): Promise<void> {
  const span = days * DAY;
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const deploys: ReturnType<typeof newDeployRow>[] = [];
    const merges: Array<{ service: string; number: number; repo: string; merge_sha: string; merged_at: string }> = [];
    for (let i = start; i < Math.min(count, start + ROWS_PER_INSERT); i++) {
      const target = targets[i % targets.length]!;
      const finished = new Date(now.getTime() - span + ((i + 1) * span) / (count + 1));
      const failed = i % 20 === 7;
      const rollback = i % 100 === 51;
      const stop = failed ? (i % 40 === 7 ? 1 : 2) : STAGES.length;
      const stages: StageProgress[] = STAGES.map((name, s) => ({ name, status: s < stop ? "succeeded" : s === stop && failed ? "failed" : "waiting" }));
      const number = i + 1;
      const mergedAt = new Date(finished.getTime() - ((i % 48) + 1) * 3_600_000).toISOString();
      const deploy: Omit<Deploy, "seq"> = {
        id: `hist-${i}`,
        service: target.service,
        env: target.env,
        sha: number.toString(16).padStart(40, "0"),
        ref: "main",
        actor: "history",
        surface: "api",
        automatic: false,
        forced: false,
        state: failed ? "failed" : "succeeded",
        pipelineName: `${target.service}-${target.env}`,
        stages,
        requestedAt: new Date(finished.getTime() - 600_000).toISOString(),
        startedAt: new Date(finished.getTime() - 540_000).toISOString(),
        finishedAt: finished.toISOString(),
        notifiedState: failed ? "failed" : "succeeded",
        ...(rollback ? { rollbackOf: `hist-${i - targets.length}` } : {}),
        changeSet: { status: "listed", direction: rollback ? "takes_out" : "ships", headSha: "f".repeat(40), pulls: [{ number, title: `Change ${number}` }], computedAt: finished.toISOString() },
      };
      deploys.push({ ...newDeployRow(deploy), state: deploy.state, notified_state: deploy.notifiedState!, stages: JSON.stringify(stages), started_at: deploy.startedAt!, finished_at: deploy.finishedAt! });
      merges.push({ service: target.service, number, repo: `hfa/${target.service}`, merge_sha: deploy.sha, merged_at: mergedAt });
    }
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto("deploys").values(deploys).execute();
      await trx.insertInto("pull_merges").values(merges).execute();
    });
  }
  await backfillDoraFacts(ctx);
  // PostgreSQL's statistics as autovacuum would leave them after a load this size, so plans are those of a
  // steady store. SQLite keeps none unless asked (Whistlestop never runs ANALYZE), so it gets none here either.
  if (ctx.dialect === "postgres") await sql`analyze`.execute(ctx.db);
  // A history grows over months, its WAL checkpointed as it goes (wal-checkpointer.ts): the bulk load's
  // WAL is folded in now rather than by the first deploys measured.
  else await sql`pragma wal_checkpoint(TRUNCATE)`.execute(ctx.db);
}
