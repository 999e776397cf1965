import { sql } from "kysely";
import { holdsSlot, isFinal, SLOT_STATES, type Deploy, type DeployPatch, type DeployState, type NewDeploy } from "../../core/model/deploy.js";
import type { InsertDeployOptions, InsertDeployResult, SlotLease } from "../../core/ports/store.js";
import { recordDoraFacts } from "./dora-queries.js";
import { deployFromRow, newDeployRow, patchRow } from "./row-mapping.js";
import { batchedWrite, write, type StoreContext, type StoreTransaction } from "./store-context.js";

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
    // One read tells what the insert must do: nothing queued or running there is the common case,
    // which then needs no supersede and, for a deploy decided just now, may start at once.
    const active = await activeCounts(trx, deploy.service, deploy.env);
    const superseded = options.supersedeAutomatic && active.automaticQueued > 0 ? await supersedeQueued(ctx, trx, deploy, options.supersedeAutomatic) : [];
    const free = active.running === 0 && active.queued - superseded.length === 0;
    // A deploy that awaits approval is not in the queue; it never takes the slot from here.
    const start = options.startIfFree && !deploy.approval && free && (await takeSlot(trx, deploy.service, deploy.env, deploy.id, options.startIfFree.at)) ? options.startIfFree : undefined;
    const row = newDeployRow(deploy);
    const values = start ? { ...row, state: "running" as const, started_at: start.at.toISOString(), owner_id: start.lease.ownerId, lease_expires_at: start.lease.until.toISOString() } : row;
    const inserted = await trx.insertInto("deploys").values(values).returningAll().executeTakeFirstOrThrow();
    return { kind: "inserted", deploy: deployFromRow(inserted), superseded: superseded.map(deployFromRow).sort((a, b) => a.seq - b.seq) };
  });
}

/** How many deploys of (service, env) hold the slot (running, verifying) and wait, and how many of those waiting are automatic. */
async function activeCounts(trx: StoreTransaction, service: string, env: string): Promise<{ running: number; queued: number; automaticQueued: number }> {
  const row = await trx
    .selectFrom("deploys")
    .select([
      sql<number>`coalesce(sum(case when state <> 'queued' then 1 else 0 end), 0)`.as("running"),
      sql<number>`coalesce(sum(case when state = 'queued' then 1 else 0 end), 0)`.as("queued"),
      sql<number>`coalesce(sum(case when state = 'queued' and automatic = 1 then 1 else 0 end), 0)`.as("automatic_queued"),
    ])
    .where("service", "=", service)
    .where("env", "=", env)
    .where("state", "in", ["queued", ...SLOT_STATES])
    .executeTakeFirstOrThrow();
  return { running: Number(row.running), queued: Number(row.queued), automaticQueued: Number(row.automatic_queued) };
}

/**
 * Every automatic deploy still queued for the target becomes cancelled (a newer merge replaces
 * them). The target is serialised (lockTarget, or SQLite's one writer), so all of them are older
 * than the deploy being inserted.
 */
async function supersedeQueued(ctx: StoreContext, trx: StoreTransaction, deploy: NewDeploy, supersede: NonNullable<InsertDeployOptions["supersedeAutomatic"]>) {
  if (ctx.dialect === "postgres") {
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
  return trx
    .updateTable("deploys")
    .set({ state: "cancelled", error: supersede.message, reason_code: "superseded", finished_at: supersede.at.toISOString() })
    .where("service", "=", deploy.service)
    .where("env", "=", deploy.env)
    .where("state", "=", "queued")
    .where("automatic", "=", 1)
    .returningAll()
    .execute();
}

/**
 * Claims the single slot of (service, env) for `deployId`; false when a running or verifying deploy holds it.
 * The slot row's primary key decides. A slot whose holder is no longer running can only be left by
 * a hand edit: it is freed, looked up by its holder's id, and the claim tried once more.
 */
async function takeSlot(trx: StoreTransaction, service: string, env: string, deployId: string, at: Date): Promise<boolean> {
  const insert = () =>
    trx
      .insertInto("slots")
      .values({ service, env, deploy_id: deployId, claimed_at: at.toISOString() })
      .onConflict((oc) => oc.columns(["service", "env"]).doNothing())
      .returning("deploy_id")
      .executeTakeFirst();
  if (await insert()) return true;
  const freed = await trx
    .deleteFrom("slots")
    .where("service", "=", service)
    .where("env", "=", env)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("deploys").select("deploys.id").whereRef("deploys.id", "=", "slots.deploy_id").where("deploys.state", "in", SLOT_STATES))),
    )
    .executeTakeFirst();
  return freed.numDeletedRows > 0n && (await insert()) !== undefined;
}

/**
 * The slot row's primary key (service, env) admits one holder; the deploy row is locked
 * first on PostgreSQL so a concurrent cancel cannot slip between the check and the claim.
 */
export function claimSlot(ctx: StoreContext, deployId: string, at: Date, lease?: SlotLease): Promise<boolean> {
  return write(ctx, async (trx) => {
    let lookup = trx.selectFrom("deploys").select(["service", "env", "state"]).where("id", "=", deployId);
    if (ctx.dialect === "postgres") lookup = lookup.forUpdate();
    const deploy = await lookup.executeTakeFirst();
    if (!deploy || deploy.state !== "queued") return false;

    if (!(await takeSlot(trx, deploy.service, deploy.env, deployId, at))) return false;

    const started = await trx
      .updateTable("deploys")
      .set({ state: "running", started_at: at.toISOString(), ...(lease ? { owner_id: lease.ownerId, lease_expires_at: lease.until.toISOString() } : {}) })
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
    // Only a running or verifying deploy holds the slot: leaving those (to a final state or back) frees it.
    if (patch.state !== undefined && !holdsSlot(patch.state)) {
      await trx
        .deleteFrom("slots")
        .where("service", "=", row.service)
        .where("env", "=", row.env)
        .where("deploy_id", "=", id)
        .execute();
    }
    const updated = deployFromRow(row);
    // What DORA metrics read changes only when a deploy ends, or when what it shipped is recorded after.
    if (isFinal(updated.state) && (patch.state !== undefined || patch.changeSet !== undefined)) await recordDoraFacts(trx, updated);
    return updated;
  });
}

export async function markNotified(ctx: StoreContext, id: string, state: DeployState): Promise<void> {
  await batchedWrite(ctx, (trx) => trx.updateTable("deploys").set({ notified_state: state }).where("id", "=", id).execute());
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
      .where("state", "in", ["queued", ...SLOT_STATES])
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
