import type { AcceptedRequest, RequestOutcome } from "../../core/model/accepted-request.js";
import type { NewAcceptedRequest } from "../../core/ports/accepted-requests.js";
import { batchedWrite, literalLimit, write, type StoreContext } from "./store-context.js";

/** Rows per INSERT: six parameters each, well under every driver's limit on bound parameters. */
const ROWS_PER_STATEMENT = 500;

/** The primary key decides: one caller records a request, a retry finds it there. */
export async function acceptRequests(ctx: StoreContext, requests: readonly NewAcceptedRequest[], ownerId: string, leaseEnd: Date): Promise<string[]> {
  // One row per key: a key twice in one INSERT would be recorded once but reported for both.
  const unique = [...new Map(requests.map((r) => [r.key, r])).values()];
  if (unique.length === 0) return [];
  const lease = leaseEnd.toISOString();
  return write(ctx, async (trx) => {
    const recorded: string[] = [];
    for (let i = 0; i < unique.length; i += ROWS_PER_STATEMENT) {
      const rows = await trx
        .insertInto("accepted_requests")
        .values(unique.slice(i, i + ROWS_PER_STATEMENT).map((r) => ({ key: r.key, kind: r.kind, payload: r.payload, received_at: r.receivedAt, owner_id: ownerId, lease_expires_at: lease })))
        .onConflict((oc) => oc.column("key").doNothing())
        .returning("key")
        .execute();
      recorded.push(...rows.map((row) => row.key));
    }
    return recorded;
  });
}

export async function finishRequest(ctx: StoreContext, key: string, at: Date, outcome: RequestOutcome): Promise<void> {
  await batchedWrite(ctx, (trx) =>
    trx.updateTable("accepted_requests").set({ finished_at: at.toISOString(), outcome }).where("key", "=", key).where("finished_at", "is", null).execute(),
  );
}

/** Keys per statement when renewing: well under every driver's limit on bound parameters. */
const KEYS_PER_STATEMENT = 500;

export async function extendRequestLeases(ctx: StoreContext, ownerId: string, until: Date, keys?: readonly string[]): Promise<void> {
  const extend = (only?: readonly string[]) =>
    write(ctx, (trx) =>
      trx
        .updateTable("accepted_requests")
        .set({ lease_expires_at: until.toISOString() })
        .where("owner_id", "=", ownerId)
        .where("finished_at", "is", null)
        .$if(only !== undefined, (qb) => qb.where("key", "in", [...only!]))
        .execute(),
    );
  if (keys === undefined) return void (await extend());
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) await extend(keys.slice(i, i + KEYS_PER_STATEMENT));
}

/**
 * The UPDATE's lease condition decides each claim: on PostgreSQL a competing replica waits for the
 * row lock, then re-checks the condition against the committed claim, so each request has one taker.
 */
export async function claimRequests(ctx: StoreContext, ownerId: string, now: Date, leaseEnd: Date, limit: number): Promise<AcceptedRequest[]> {
  const nowIso = now.toISOString();
  const rows = await write(ctx, (trx) =>
    trx
      .updateTable("accepted_requests")
      .set((eb) => ({ owner_id: ownerId, lease_expires_at: leaseEnd.toISOString(), attempts: eb("attempts", "+", 1) }))
      .where("finished_at", "is", null)
      .where("lease_expires_at", "<=", nowIso)
      .where("key", "in", (eb) =>
        eb.selectFrom("accepted_requests").select("key").where("finished_at", "is", null).where("lease_expires_at", "<=", nowIso).orderBy("received_at").limit(literalLimit(limit)),
      )
      .returning(["key", "kind", "payload", "received_at", "attempts"])
      .execute(),
  );
  return rows
    .map((row) => ({ key: row.key, kind: row.kind, payload: row.payload, receivedAt: row.received_at, attempts: Number(row.attempts) }))
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

export async function pruneRequests(ctx: StoreContext, before: Date): Promise<number> {
  const result = await write(ctx, (trx) => trx.deleteFrom("accepted_requests").where("finished_at", "<", before.toISOString()).executeTakeFirst());
  return Number(result.numDeletedRows);
}
