import { lockActive, type Lock } from "../../core/model/lock.js";
import type { TakeLockResult } from "../../core/ports/store.js";
import { lockFromRow, lockRow } from "./row-mapping.js";
import { write, type StoreContext } from "./store-context.js";

/** A concurrent release can empty the row between our insert and our read; a few tries settle it. */
const TAKE_ATTEMPTS = 3;

/**
 * Insert, or decide on the row that is there while holding it: FOR UPDATE on PostgreSQL,
 * the single writer on SQLite. Every competing taker therefore sees the winner's row.
 */
export function takeLock(ctx: StoreContext, lock: Lock, now: Date): Promise<TakeLockResult> {
  const row = lockRow(lock);
  return write(ctx, async (trx) => {
    for (let attempt = 1; attempt <= TAKE_ATTEMPTS; attempt++) {
      const inserted = await trx
        .insertInto("locks")
        .values(row)
        .onConflict((oc) => oc.columns(["service", "env"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { kind: "taken", lock: lockFromRow(inserted) };

      let lookup = trx.selectFrom("locks").selectAll().where("service", "=", lock.service).where("env", "=", lock.env);
      if (ctx.dialect === "postgres") lookup = lookup.forUpdate();
      const current = await lookup.executeTakeFirst();
      if (!current) continue;
      const existing = lockFromRow(current);

      if (!lockActive(existing, now)) {
        const replaced = await trx
          .updateTable("locks")
          .set(row)
          .where("service", "=", lock.service)
          .where("env", "=", lock.env)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { kind: "taken", lock: lockFromRow(replaced), replaced: existing };
      }
      if (existing.ownerKey === lock.ownerKey) {
        // Extending keeps "since": the lock has been held all along.
        const extended = await trx
          .updateTable("locks")
          .set({ owner: row.owner, reason: row.reason ?? current.reason, expires_at: row.expires_at })
          .where("service", "=", lock.service)
          .where("env", "=", lock.env)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { kind: "taken", lock: lockFromRow(extended) };
      }
      return { kind: "held", lock: existing };
    }
    throw new Error(`store: could not take the lock on ${lock.service}/${lock.env}: it kept changing, try again`);
  });
}

export async function releaseLock(ctx: StoreContext, service: string, env: string): Promise<Lock | undefined> {
  const row = await write(ctx, (trx) =>
    trx.deleteFrom("locks").where("service", "=", service).where("env", "=", env).returningAll().executeTakeFirst(),
  );
  return row && lockFromRow(row);
}

export async function listLocks(ctx: StoreContext, now: Date): Promise<Lock[]> {
  const rows = await ctx.db
    .selectFrom("locks")
    .selectAll()
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now.toISOString())]))
    .orderBy("created_at", "asc")
    .orderBy("service", "asc")
    .orderBy("env", "asc")
    .execute();
  return rows.map(lockFromRow);
}
