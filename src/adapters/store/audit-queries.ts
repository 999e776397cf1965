import type { AuditEntry } from "../../core/model/audit.js";
import { auditFromRow, auditRow } from "./row-mapping.js";
import { literalLimit, write, type StoreContext } from "./store-context.js";

const DEFAULT_AUDIT_LIMIT = 50;

/** Append-only: no audit row is ever updated; rows leave only when older than `retention` (pruneHistory). */
export async function appendAudit(ctx: StoreContext, entry: AuditEntry): Promise<void> {
  await write(ctx, (trx) => trx.insertInto("audit").values(auditRow(entry)).execute());
}

/** Newest first (highest id), like listDeploys. */
export async function listAudit(ctx: StoreContext, filter: { deployId?: string; limit?: number }): Promise<AuditEntry[]> {
  let query = ctx.db.selectFrom("audit").selectAll();
  if (filter.deployId !== undefined) query = query.where("deploy_id", "=", filter.deployId);
  const rows = await query
    .orderBy("id", "desc")
    .limit(literalLimit(filter.limit ?? DEFAULT_AUDIT_LIMIT))
    .execute();
  return rows.map(auditFromRow);
}
