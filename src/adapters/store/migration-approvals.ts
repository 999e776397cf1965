import { sql, type Kysely } from "kysely";
import type { StoreDialect } from "./store-context.js";

const OLD_STATES = "'queued', 'running', 'succeeded', 'failed', 'cancelled'";
const STATES = `'awaiting_approval', ${OLD_STATES}`;

/**
 * 0008_approvals: a deploy may wait for approvals (a new state, what it needs, who approved so
 * far), and each approver's answer is a row whose primary key (deploy, approver) makes a second
 * click by the same person count once.
 */
export async function addApprovals(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await allowAwaitingApproval(db, dialect);
  await db.schema.alterTable("deploys").addColumn("approvals_required", "integer").execute();
  await db.schema.alterTable("deploys").addColumn("approval_expires_at", "text").execute();
  // Display names of who approved, in order (JSON): the card shows them without another read.
  await db.schema.alterTable("deploys").addColumn("approved_by", "text").execute();
  await db.schema
    .createTable("approvals")
    .addColumn("deploy_id", "text", (col) => col.notNull())
    .addColumn("approver_key", "text", (col) => col.notNull())
    .addColumn("approver", "text", (col) => col.notNull())
    .addColumn("verdict", "text", (col) => col.notNull().check(sql`verdict in ('approved', 'rejected')`))
    .addColumn("reason", "text")
    .addColumn("at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("approvals_pk", ["deploy_id", "approver_key"])
    .execute();
  // The expiry sweep reads only the deploys still waiting.
  await db.schema
    .createIndex("deploys_awaiting_approval")
    .on("deploys")
    .column("approval_expires_at")
    .where(sql<boolean>`state = 'awaiting_approval'`)
    .execute();
}

/**
 * The state column's CHECK gains awaiting_approval. PostgreSQL swaps the constraint. SQLite cannot
 * alter a CHECK, so the table is rebuilt from its own stored definition (whatever columns other
 * migrations added), its rows, indexes and AUTOINCREMENT counter carried over.
 */
async function allowAwaitingApproval(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres") {
    const checks = await sql<{ conname: string }>`
      select conname from pg_constraint
      where conrelid = 'deploys'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%state%'`.execute(db);
    for (const { conname } of checks.rows) await sql`alter table deploys drop constraint ${sql.id(conname)}`.execute(db);
    await sql`alter table deploys add constraint deploys_state_check check (state in (${sql.raw(STATES)}))`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'deploys'`.execute(db);
  const definition = table.rows[0]?.sql;
  if (!definition || !definition.includes(OLD_STATES)) throw new Error("store: the deploys table's state check is not the one 0008_approvals expects");
  const rebuilt = definition.replace(/^create table "?deploys"?/i, 'create table "deploys_rebuilt"').replace(OLD_STATES, STATES);
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
