import type { AuditEntry, AuditQuery, AuditRecord } from "../../core/model/audit.js";
import { auditFromRow, auditRecordFromRow, auditRow } from "./row-mapping.js";
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

/**
 * The audit API's read: filters combined with "and", newest (highest id) first, at most `limit`.
 * Each filter has an index from 0004_audit, each ending in id so the order and the cursor use it.
 */
export async function queryAudit(ctx: StoreContext, q: AuditQuery): Promise<AuditRecord[]> {
  let query = ctx.db.selectFrom("audit").selectAll();
  if (q.service !== undefined) query = query.where("service", "=", q.service);
  if (q.env !== undefined) query = query.where("env", "=", q.env);
  if (q.actorKey !== undefined) query = query.where("actor_key", "=", q.actorKey);
  if (q.deployId !== undefined) query = query.where("deploy_id", "=", q.deployId);
  if (q.since !== undefined) query = query.where("at", ">=", q.since);
  if (q.beforeId !== undefined) query = query.where("id", "<", q.beforeId);
  const rows = await query.orderBy("id", "desc").limit(literalLimit(q.limit)).execute();
  return rows.map(auditRecordFromRow);
}
