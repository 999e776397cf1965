import { sql, type Kysely } from "kysely";
import type { StoreDialect } from "./store-context.js";

/**
 * Swaps the deploys table's CHECK on `state` from `oldStates` to `newStates` (both written as SQL
 * lists of quoted names, exactly as the previous migration wrote them). PostgreSQL swaps the
 * constraint. SQLite cannot alter a CHECK, so the table is rebuilt from its own stored definition
 * (whatever columns other migrations added), its rows, indexes and AUTOINCREMENT counter carried over.
 */
export async function replaceStateCheck(db: Kysely<unknown>, dialect: StoreDialect, oldStates: string, newStates: string, migration: string): Promise<void> {
  if (dialect === "postgres") {
    const checks = await sql<{ conname: string }>`
      select conname from pg_constraint
      where conrelid = 'deploys'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%state%'`.execute(db);
    for (const { conname } of checks.rows) await sql`alter table deploys drop constraint ${sql.id(conname)}`.execute(db);
    await sql`alter table deploys add constraint deploys_state_check check (state in (${sql.raw(newStates)}))`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'deploys'`.execute(db);
  const definition = table.rows[0]?.sql;
  if (!definition || !definition.includes(oldStates)) throw new Error(`store: the deploys table's state check is not the one ${migration} expects`);
  const rebuilt = definition.replace(/^create table "?deploys"?/i, 'create table "deploys_rebuilt"').replace(oldStates, newStates);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'deploys' and sql is not null`.execute(db);
  const counter = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'deploys'`.execute(db);
  await sql.raw(rebuilt).execute(db);
  await sql`insert into deploys_rebuilt select * from deploys`.execute(db);
  await sql`drop table deploys`.execute(db);
  await sql`alter table deploys_rebuilt rename to deploys`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
  const seq = counter.rows[0]?.seq;
  // Deploy seqs are never reused: the counter keeps its highest value even past deleted rows.
  if (seq === undefined) return;
  const carried = await sql`update sqlite_sequence set seq = max(seq, ${seq}) where name = 'deploys'`.execute(db);
  if (Number(carried.numAffectedRows ?? 0) === 0) await sql`insert into sqlite_sequence (name, seq) values ('deploys', ${seq})`.execute(db);
}
