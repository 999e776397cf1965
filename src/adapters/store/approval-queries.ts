import { rejectionError, type ApprovalVote, type VoteResult } from "../../core/model/approval.js";
import { canonicalTime, deployFromRow } from "./row-mapping.js";
import { write, type StoreContext } from "./store-context.js";

/**
 * One transaction per vote. On PostgreSQL the deploy row is locked first, so concurrent votes on one
 * deploy run one after the other and each counts the approvals committed before it (READ COMMITTED
 * reads afresh per statement); SQLite has one writer at a time. So exactly one vote sees the count
 * reach `required` and moves the deploy, and the (deploy, approver) primary key keeps a repeated
 * click from counting twice.
 */
export function recordVote(ctx: StoreContext, vote: ApprovalVote): Promise<VoteResult> {
  const at = canonicalTime(vote.at);
  return write(ctx, async (trx) => {
    let lookup = trx.selectFrom("deploys").selectAll().where("id", "=", vote.deployId);
    if (ctx.dialect === "postgres") lookup = lookup.forUpdate();
    const row = await lookup.executeTakeFirst();
    if (!row) return { kind: "not_awaiting" };
    const deploy = deployFromRow(row);
    if (deploy.state !== "awaiting_approval" || !deploy.approval) return { kind: "not_awaiting", deploy };
    if (at >= deploy.approval.expiresAt) return { kind: "expired", deploy };
    const values = { deploy_id: vote.deployId, approver_key: vote.approverKey, approver: vote.approver, verdict: vote.verdict, reason: vote.reason ?? null, at };

    if (vote.verdict === "rejected") {
      // An approver may change their mind: their answer becomes the rejection.
      await trx
        .insertInto("approvals")
        .values(values)
        .onConflict((oc) => oc.columns(["deploy_id", "approver_key"]).doUpdateSet({ approver: values.approver, verdict: values.verdict, reason: values.reason, at }))
        .execute();
      const cancelled = await trx
        .updateTable("deploys")
        .set({ state: "cancelled", error: rejectionError(vote), finished_at: at })
        .where("id", "=", vote.deployId)
        .where("state", "=", "awaiting_approval")
        .returningAll()
        .executeTakeFirstOrThrow();
      return { kind: "rejected", deploy: deployFromRow(cancelled) };
    }

    const inserted = await trx
      .insertInto("approvals")
      .values(values)
      .onConflict((oc) => oc.columns(["deploy_id", "approver_key"]).doNothing())
      .returning("approver_key")
      .executeTakeFirst();
    if (!inserted) return { kind: "duplicate", deploy };
    const approvals = await trx
      .selectFrom("approvals")
      .select("approver")
      .where("deploy_id", "=", vote.deployId)
      .where("verdict", "=", "approved")
      .orderBy("at")
      .orderBy("approver_key")
      .execute();
    const last = approvals.length >= deploy.approval.required;
    const updated = await trx
      .updateTable("deploys")
      .set({ approved_by: JSON.stringify(approvals.map((a) => a.approver)), ...(last ? { state: "queued" as const } : {}) })
      .where("id", "=", vote.deployId)
      .where("state", "=", "awaiting_approval")
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: last ? "approved" : "counted", deploy: deployFromRow(updated) };
  });
}

export async function listVotes(ctx: StoreContext, deployId: string): Promise<ApprovalVote[]> {
  const rows = await ctx.db.selectFrom("approvals").selectAll().where("deploy_id", "=", deployId).orderBy("at").orderBy("approver_key").execute();
  return rows.map((row) => ({
    deployId: row.deploy_id,
    approverKey: row.approver_key,
    approver: row.approver,
    verdict: row.verdict,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    at: row.at,
  }));
}
