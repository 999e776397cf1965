import type { Kysely } from "kysely";
import type { StoreDialect } from "./store-context.js";

/**
 * 0009_pr_notices: where each merged PR is live (`notify_prs`), and the one comment on the PR
 * that says so. The comment's row carries a short claim (who is writing it, until when), so
 * replicas never create two comments on one PR nor overwrite a newer body with an older one.
 */
export async function addPrNotices(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  // GitHub comment ids already exceed 32 bits.
  const githubId = dialect === "postgres" ? "bigint" : "integer";
  await db.schema
    .createTable("pr_notices")
    .addColumn("repo", "text", (col) => col.notNull())
    .addColumn("pr_number", "integer", (col) => col.notNull())
    .addColumn("comment_id", githubId)
    .addColumn("shown", "text")
    .addColumn("claimed_by", "text")
    .addColumn("claim_until", "text")
    .addPrimaryKeyConstraint("pr_notices_pk", ["repo", "pr_number"])
    .execute();
  // The primary key's (repo, pr_number) prefix serves reading a PR's shipments.
  await db.schema
    .createTable("pr_shipments")
    .addColumn("repo", "text", (col) => col.notNull())
    .addColumn("pr_number", "integer", (col) => col.notNull())
    .addColumn("service", "text", (col) => col.notNull())
    .addColumn("env", "text", (col) => col.notNull())
    .addColumn("deploy_id", "text", (col) => col.notNull())
    .addColumn("sha", "text", (col) => col.notNull())
    .addColumn("shipped_at", "text", (col) => col.notNull())
    .addColumn("taken_out_by", "text")
    .addColumn("taken_out_at", "text")
    .addPrimaryKeyConstraint("pr_shipments_pk", ["repo", "pr_number", "service", "env"])
    .execute();
}
