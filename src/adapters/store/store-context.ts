import type { Kysely, Transaction } from "kysely";
import type { StoreSchema } from "./schema.js";

export type StoreDialect = "sqlite" | "postgres";

/** What every query module needs: the database and which dialect's extra guarantees to use. */
export interface StoreContext {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: StoreDialect;
}

export type StoreTransaction = Transaction<StoreSchema>;

/**
 * Every write goes through one transaction. On SQLite that is BEGIN IMMEDIATE behind a
 * per-file gate (see sqlite-database.ts), so writers never interleave; on PostgreSQL it is
 * READ COMMITTED, and the queries themselves lock what they depend on.
 */
export function write<T>(ctx: StoreContext, work: (trx: StoreTransaction) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(work);
}
