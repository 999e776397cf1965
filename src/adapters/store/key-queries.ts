import { write, type StoreContext } from "./store-context.js";

/** The primary key decides: exactly one caller inserts the row, every other one finds it there. */
export async function recordKey(ctx: StoreContext, key: string, at: Date): Promise<boolean> {
  const inserted = await write(ctx, (trx) =>
    trx
      .insertInto("idempotency_keys")
      .values({ scope: "once", key, deploy_id: null, created_at: at.toISOString() })
      .onConflict((oc) => oc.columns(["scope", "key"]).doNothing())
      .returning("key")
      .executeTakeFirst(),
  );
  return inserted !== undefined;
}
