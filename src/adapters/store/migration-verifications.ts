import type { Kysely } from "kysely";
import { STATES_SINCE_0008 } from "./migration-approvals.js";
import { replaceStateCheck } from "./state-check.js";
import type { StoreDialect } from "./store-context.js";

const STATES = STATES_SINCE_0008.replace("'running'", "'running', 'verifying'");

/**
 * 0011_verifications: a deploy whose pipeline succeeded may be `verifying` (its alarms are watched
 * while it still holds its slot), and what that verification knows lives on the deploy as JSON, so
 * another replica, or this one restarted, goes on where it was.
 */
export async function addVerifications(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await replaceStateCheck(db, dialect, STATES_SINCE_0008, STATES, "0011_verifications");
  await db.schema.alterTable("deploys").addColumn("verification", "text").execute();
}
