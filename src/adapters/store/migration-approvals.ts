import { sql, type Kysely } from "kysely";
import { replaceStateCheck } from "./state-check.js";
import type { StoreDialect } from "./store-context.js";

const OLD_STATES = "'queued', 'running', 'succeeded', 'failed', 'cancelled'";
export const STATES_SINCE_0008 = `'awaiting_approval', ${OLD_STATES}`;

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

/** The state column's CHECK gains awaiting_approval (see replaceStateCheck). */
function allowAwaitingApproval(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  return replaceStateCheck(db, dialect, OLD_STATES, STATES_SINCE_0008, "0008_approvals");
}
