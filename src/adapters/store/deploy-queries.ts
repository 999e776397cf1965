import { SLOT_STATES, type Deploy } from "../../core/model/deploy.js";
import type { DeployFilter } from "../../core/ports/store.js";
import { sql } from "kysely";
import type { DeploysTable } from "./schema.js";
import type { Selectable } from "kysely";
import { deployFromRow } from "./row-mapping.js";
import { literalLimit, type StoreContext } from "./store-context.js";

const DEFAULT_LIST_LIMIT = 50;

/** Reads of deploys; none of them needs a transaction (each is one statement). */
export async function getDeploy(ctx: StoreContext, id: string): Promise<Deploy | undefined> {
  const row = await ctx.db.selectFrom("deploys").selectAll().where("id", "=", id).executeTakeFirst();
  return row && deployFromRow(row);
}

export async function listDeploys(ctx: StoreContext, filter: DeployFilter): Promise<Deploy[]> {
  if (filter.states?.length === 0) return [];
  let query = ctx.db.selectFrom("deploys").selectAll();
  if (filter.service !== undefined) query = query.where("service", "=", filter.service);
  if (filter.env !== undefined) query = query.where("env", "=", filter.env);
  if (filter.states !== undefined) query = query.where("state", "in", [...filter.states]);
  if (filter.actor !== undefined) {
    const actor = filter.actor.toLowerCase();
    query = query.where((eb) => eb.or([eb(eb.fn("lower", ["actor"]), "=", actor), eb(eb.fn("lower", ["actor_login"]), "=", actor)]));
  }
  if (filter.requestedFrom !== undefined) query = query.where("requested_at", ">=", filter.requestedFrom);
  if (filter.requestedBefore !== undefined) query = query.where("requested_at", "<", filter.requestedBefore);
  if (filter.beforeSeq !== undefined) query = query.where("seq", "<", filter.beforeSeq);
  const rows = await query
    .orderBy("seq", "desc")
    .limit(literalLimit(filter.limit ?? DEFAULT_LIST_LIMIT))
    .execute();
  return rows.map(deployFromRow);
}

export async function listQueue(ctx: StoreContext, service: string, env: string, limit?: number): Promise<Deploy[]> {
  const rows = await ctx.db
    .selectFrom("deploys")
    .selectAll()
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "=", "queued")
    .orderBy("seq", "asc")
    .$if(limit !== undefined, (qb) => qb.limit(literalLimit(limit!)))
    .execute();
  return rows.map(deployFromRow);
}

/** Counted on the (service, env, state, seq) index alone. */
export async function countQueue(ctx: StoreContext, service: string, env: string): Promise<number> {
  const row = await ctx.db
    .selectFrom("deploys")
    .select((eb) => eb.fn.countAll<number>().as("queued"))
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "=", "queued")
    .executeTakeFirstOrThrow();
  return Number(row.queued);
}

/** One statement, so the deploy's own state and its predecessors are read together. */
export async function queuePosition(ctx: StoreContext, deployId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom("deploys as mine")
    .innerJoin("deploys as ahead", (join) =>
      join.onRef("ahead.service", "=", "mine.service").onRef("ahead.env", "=", "mine.env").onRef("ahead.seq", "<=", "mine.seq"),
    )
    .select((eb) => eb.fn.countAll<number>().as("position"))
    .where("mine.id", "=", deployId)
    .where("mine.state", "=", "queued")
    .where("ahead.state", "=", "queued")
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

/**
 * The slot holder; failing that, any deploy marked running or verifying in the target. The fallback
 * makes the answer fail closed ("busy") if a deploy ever became running without a slot.
 */
export async function getRunning(ctx: StoreContext, service: string, env: string): Promise<Deploy | undefined> {
  const holder = await ctx.db
    .selectFrom("slots")
    .innerJoin("deploys", "deploys.id", "slots.deploy_id")
    .selectAll("deploys")
    .where("slots.service", "=", service)
    .where("slots.env", "=", env)
    .executeTakeFirst();
  if (holder) return deployFromRow(holder);
  const running = await ctx.db
    .selectFrom("deploys")
    .selectAll()
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "in", SLOT_STATES)
    .orderBy("seq", "asc")
    .executeTakeFirst();
  return running && deployFromRow(running);
}

/** Every deploy holding its slot: running, or verifying its alarms (both are followed to their end). */
export async function listRunning(ctx: StoreContext): Promise<Deploy[]> {
  const rows = await ctx.db.selectFrom("deploys").selectAll().where("state", "in", SLOT_STATES).orderBy("seq", "asc").execute();
  return rows.map(deployFromRow);
}

/** Targets with waiting work, the one waiting longest first. */
export async function listQueuedTargets(ctx: StoreContext): Promise<Array<{ service: string; env: string }>> {
  const rows = await ctx.db
    .selectFrom("deploys")
    .select(["service", "env"])
    .select((eb) => eb.fn.min("seq").as("first_seq"))
    .where("state", "=", "queued")
    .groupBy(["service", "env"])
    .orderBy("first_seq", "asc")
    .execute();
  return rows.map(({ service, env }) => ({ service, env }));
}

export async function listSucceeded(ctx: StoreContext, service: string, env: string, limit: number): Promise<Deploy[]> {
  const rows = await ctx.db
    .selectFrom("deploys")
    .selectAll()
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "=", "succeeded")
    .orderBy("finished_at", "desc")
    .orderBy("seq", "desc")
    .limit(literalLimit(limit))
    .execute();
  return rows.map(deployFromRow);
}

/**
 * On PostgreSQL one statement (a lateral probe of the target's index per target) instead of a
 * round trip per target; SQLite runs in the process, where a query per target costs microseconds.
 */
export async function latestSucceeded(ctx: StoreContext, targets: ReadonlyArray<{ readonly service: string; readonly env: string }>): Promise<Deploy[]> {
  if (targets.length === 0) return [];
  if (ctx.dialect === "postgres") {
    const services = targets.map((t) => t.service);
    const envs = targets.map((t) => t.env);
    const result = await sql<Selectable<DeploysTable>>`
      select d.* from unnest(${services}::text[], ${envs}::text[]) as t(service, env)
      cross join lateral (
        select * from deploys where deploys.service = t.service and deploys.env = t.env and deploys.state = 'succeeded'
        order by finished_at desc, seq desc limit 1
      ) d`.execute(ctx.db);
    return result.rows.map(deployFromRow);
  }
  const rows = await Promise.all(targets.map((t) => listSucceeded(ctx, t.service, t.env, 1)));
  return rows.flat();
}

export async function hasSucceeded(ctx: StoreContext, service: string, env: string, sha: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("deploys")
    .select("id")
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "=", "succeeded")
    .where("sha", "=", sha)
    .limit(literalLimit(1))
    .executeTakeFirst();
  return row !== undefined;
}

/** Deploys whose reports lag their state; same predicate as the deploys_unnotified index. */
export async function listUnnotified(ctx: StoreContext, limit: number): Promise<Deploy[]> {
  const rows = await ctx.db
    .selectFrom("deploys")
    .selectAll()
    .where((eb) => eb.or([eb("notified_state", "is", null), eb("notified_state", "<>", eb.ref("state"))]))
    .orderBy("seq", "asc")
    .limit(literalLimit(limit))
    .execute();
  return rows.map(deployFromRow);
}
