import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { StoreSchema } from "./schema.js";

export type StoreDialect = "sqlite" | "postgres";

/** What every query module needs: the database and which dialect's extra guarantees to use. */
export interface StoreContext {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: StoreDialect;
  /** Where small independent writes share a transaction (write-batch.ts); without it each has its own. */
  readonly batch?: { add(work: (trx: StoreTransaction) => Promise<unknown>): Promise<void>; flush(): Promise<void> };
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

/**
 * A write that needs no answer and depends on nothing it reads: it shares the transaction of the
 * other such writes of this turn of the event loop (write-batch.ts), and resolves once committed.
 */
export function batchedWrite(ctx: StoreContext, work: (trx: StoreTransaction) => Promise<unknown>): Promise<void> {
  return ctx.batch ? ctx.batch.add(work) : write(ctx, work).then(() => undefined);
}

/**
 * A LIMIT written into the SQL rather than bound: SQLite plans `LIMIT ?` without knowing the
 * value and runs it several times slower than `LIMIT 1` (18 µs against 3.5 µs for a queue's head).
 * Only non-negative integers are accepted, so nothing but digits reaches the SQL text.
 */
export function literalLimit(limit: number): RawBuilder<number> {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`store: a limit must be a non-negative integer, got ${limit}`);
  return sql.lit(limit);
}
