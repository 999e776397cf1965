import { sql } from "kysely";
import type { Deploy, DeployPatch, DeployState, NewDeploy } from "../../core/model/deploy.js";
import type { InsertDeployOptions, InsertDeployResult, SlotLease } from "../../core/ports/store.js";
import { canonicalTime, deployFromRow, newDeployRow, patchRow } from "./row-mapping.js";
import { write, type StoreContext, type StoreTransaction } from "./store-context.js";

// Multi-row writers on PostgreSQL (supersede, claimLeases) first lock their rows in seq order,
// so two of them can never deadlock on each other.

/**
 * Serialises writers of one (service, env) on PostgreSQL for the rest of the transaction, so
 * seq order is commit order within a target (FIFO holds for readers) and superseding sees
 * every earlier automatic deploy. SQLite needs nothing: it has one writer at a time.
 */
async function lockTarget(ctx: StoreContext, trx: StoreTransaction, service: string, env: string): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  await sql`select pg_advisory_xact_lock(hashtext(${service}), hashtext(${env}))`.execute(trx);
}

export function insertDeploy(ctx: StoreContext, deploy: NewDeploy, options: InsertDeployOptions = {}): Promise<InsertDeployResult> {
  return write(ctx, async (trx) => {
    await lockTarget(ctx, trx, deploy.service, deploy.env);
    if (options.idempotencyKey !== undefined) {
      // On PostgreSQL a concurrent insert of the same key waits for the first to commit, then does nothing.
      const recorded = await trx
        .insertInto("idempotency_keys")
        .values({ scope: "deploy", key: options.idempotencyKey, deploy_id: deploy.id, created_at: deploy.requestedAt })
        .onConflict((oc) => oc.columns(["scope", "key"]).doNothing())
        .returning("key")
        .executeTakeFirst();
      if (!recorded) {
        const existing = await trx
          .selectFrom("idempotency_keys")
          .innerJoin("deploys", "deploys.id", "idempotency_keys.deploy_id")
          .selectAll("deploys")
          .where("idempotency_keys.scope", "=", "deploy")
          .where("idempotency_keys.key", "=", options.idempotencyKey)
          .executeTakeFirst();
        return existing ? { kind: "duplicate", existing: deployFromRow(existing) } : { kind: "duplicate" };
      }
    }
    const inserted = await trx.insertInto("deploys").values(newDeployRow(deploy)).returningAll().executeTakeFirstOrThrow();
    if (options.supersedeAutomatic && ctx.dialect === "postgres") {
      await trx
        .selectFrom("deploys")
        .select("seq")
        .where("service", "=", deploy.service)
        .where("env", "=", deploy.env)
        .where("state", "=", "queued")
        .where("automatic", "=", 1)
        .orderBy("seq")
        .forUpdate()
        .execute();
    }
    const superseded = options.supersedeAutomatic
      ? await trx
          .updateTable("deploys")
          .set({ state: "cancelled", error: options.supersedeAutomatic.message, reason_code: "superseded", finished_at: canonicalTime(options.supersedeAutomatic.at) })
          .where("service", "=", deploy.service)
          .where("env", "=", deploy.env)
          .where("state", "=", "queued")
          .where("automatic", "=", 1)
          .where("seq", "<", inserted.seq)
          .returningAll()
          .execute()
      : [];
    // A deploy that awaits approval is not in the queue; it never takes the slot from here.
    const started = options.startIfFree && !deploy.approval ? await startIfFree(trx, inserted.id, deploy.service, deploy.env, inserted.seq, options.startIfFree) : undefined;
    return {
      kind: "inserted",
      deploy: deployFromRow(started ?? inserted),
      superseded: superseded.map(deployFromRow).sort((a, b) => a.seq - b.seq),
    };
  });
}

/**
 * The just-inserted deploy takes the running slot when nothing is queued ahead of it (FIFO) and the
 * slot is free; on PostgreSQL the target's advisory lock (lockTarget) is held, so no other insert
 * of this target interleaves, and the slot's primary key still decides against claimSlot.
 */
async function startIfFree(trx: StoreTransaction, id: string, service: string, env: string, seq: number, start: NonNullable<InsertDeployOptions["startIfFree"]>) {
  const ahead = await trx
    .selectFrom("deploys")
    .select("id")
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "=", "queued")
    .where("seq", "<", seq)
    .limit(1)
    .executeTakeFirst();
  if (ahead) return undefined;
  if (!(await takeSlot(trx, service, env, id, start.at))) return undefined;
  return trx
    .updateTable("deploys")
    .set({ state: "running", started_at: start.at, owner_id: start.lease.ownerId, lease_expires_at: start.lease.until.toISOString() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Claims the single slot of (service, env) for `deployId`; false when a running deploy holds it. */
async function takeSlot(trx: StoreTransaction, service: string, env: string, deployId: string, at: string): Promise<boolean> {
  // A slot whose holder is no longer running can only be left by a hand edit; free it.
  await trx
    .deleteFrom("slots")
    .where("service", "=", service)
    .where("env", "=", env)
    .where("deploy_id", "not in", trx.selectFrom("deploys").select("id").where("state", "=", "running"))
    .execute();
  const claimed = await trx
    .insertInto("slots")
    .values({ service, env, deploy_id: deployId, claimed_at: at })
    .onConflict((oc) => oc.columns(["service", "env"]).doNothing())
    .returning("deploy_id")
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * The slot row's primary key (service, env) admits one holder; the deploy row is locked
 * first on PostgreSQL so a concurrent cancel cannot slip between the check and the claim.
 */
export function claimSlot(ctx: StoreContext, deployId: string, at: string, lease?: SlotLease): Promise<boolean> {
  return write(ctx, async (trx) => {
    let lookup = trx.selectFrom("deploys").select(["service", "env", "state"]).where("id", "=", deployId);
    if (ctx.dialect === "postgres") lookup = lookup.forUpdate();
    const deploy = await lookup.executeTakeFirst();
    if (!deploy || deploy.state !== "queued") return false;

    if (!(await takeSlot(trx, deploy.service, deploy.env, deployId, at))) return false;

    const started = await trx
      .updateTable("deploys")
      .set({ state: "running", started_at: at, ...(lease ? { owner_id: lease.ownerId, lease_expires_at: lease.until.toISOString() } : {}) })
      .where("id", "=", deployId)
      .where("state", "=", "queued")
      .executeTakeFirst();
    // Unreachable while the row lock / single writer holds; rolling back keeps the slot honest if not.
    if (started.numUpdatedRows !== 1n) throw new Error(`store: deploy ${deployId} left the queue while claiming its slot`);
    return true;
  });
}

export function updateDeploy(
  ctx: StoreContext,
  id: string,
  patch: DeployPatch,
  expectedState?: DeployState,
): Promise<Deploy | undefined> {
  const changes = patchRow(patch);
  return write(ctx, async (trx) => {
    const row =
      Object.keys(changes).length === 0
        ? await trx
            .selectFrom("deploys")
            .selectAll()
            .where("id", "=", id)
            .$if(expectedState !== undefined, (qb) => qb.where("state", "=", expectedState as DeployState))
            .executeTakeFirst()
        : await trx
            .updateTable("deploys")
            .set(changes)
            .where("id", "=", id)
            .$if(expectedState !== undefined, (qb) => qb.where("state", "=", expectedState as DeployState))
            .returningAll()
            .executeTakeFirst();
    if (!row) return undefined;
    // Only a running deploy holds the slot: leaving "running" (to a final state or back) frees it.
    if (patch.state !== undefined && patch.state !== "running") {
      await trx
        .deleteFrom("slots")
        .where("service", "=", row.service)
        .where("env", "=", row.env)
        .where("deploy_id", "=", id)
        .execute();
    }
    return deployFromRow(row);
  });
}

export async function markNotified(ctx: StoreContext, id: string, state: DeployState): Promise<void> {
  await write(ctx, (trx) => trx.updateTable("deploys").set({ notified_state: state }).where("id", "=", id).execute());
}

/**
 * The UPDATE's owner condition decides every claim: on PostgreSQL a competing replica waits for
 * the row lock and then re-checks that condition against the committed claim, so a lease has
 * one holder. A lease with an owner but no expiry counts as free, so a dead replica cannot pin it.
 */
export async function claimLeases(
  ctx: StoreContext,
  ownerId: string,
  deployIds: readonly string[],
  now: Date,
  until: Date,
): Promise<string[]> {
  if (deployIds.length === 0) return [];
  const nowIso = now.toISOString();
  const rows = await write(ctx, async (trx) => {
    if (ctx.dialect === "postgres") {
      await trx.selectFrom("deploys").select("seq").where("id", "in", [...deployIds]).orderBy("seq").forUpdate().execute();
    }
    return trx
      .updateTable("deploys")
      .set({ owner_id: ownerId, lease_expires_at: until.toISOString() })
      .where("id", "in", [...deployIds])
      .where("state", "in", ["queued", "running"])
      .where((eb) =>
        eb.or([
          eb("owner_id", "is", null),
          eb("owner_id", "=", ownerId),
          eb("lease_expires_at", "is", null),
          eb("lease_expires_at", "<=", nowIso),
        ]),
      )
      .returning(["id", "seq"])
      .execute();
  });
  return rows.sort((a, b) => a.seq - b.seq).map((row) => row.id);
}
