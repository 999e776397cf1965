import type { PrNotice, PrShipment, ShownComment, TakenOut } from "../../core/model/pr-notice.js";
import type { PrShipmentsTable } from "./schema.js";
import { write, type StoreContext, type StoreTransaction } from "./store-context.js";

const shipmentFromRow = (row: PrShipmentsTable): PrShipment => ({
  repo: row.repo,
  prNumber: Number(row.pr_number),
  service: row.service,
  env: row.env,
  deployId: row.deploy_id,
  sha: row.sha,
  shippedAt: row.shipped_at,
  ...(row.taken_out_by && row.taken_out_at ? { takenOut: { deployId: row.taken_out_by, at: row.taken_out_at } } : {}),
});

/**
 * One statement per batch: a newer shipment of a PR to (service, env) replaces the row, clearing
 * a taken-out mark from before it; the WHERE on the conflict keeps a late, older one out.
 */
export async function recordShipments(ctx: StoreContext, shipments: readonly PrShipment[]): Promise<void> {
  if (shipments.length === 0) return;
  const rows = shipments.map((s) => ({
    repo: s.repo,
    pr_number: s.prNumber,
    service: s.service,
    env: s.env,
    deploy_id: s.deployId,
    sha: s.sha,
    shipped_at: s.shippedAt,
    taken_out_by: null,
    taken_out_at: null,
  }));
  await write(ctx, (trx) =>
    trx
      .insertInto("pr_shipments")
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(["repo", "pr_number", "service", "env"])
          .doUpdateSet((eb) => ({
            deploy_id: eb.ref("excluded.deploy_id"),
            sha: eb.ref("excluded.sha"),
            shipped_at: eb.ref("excluded.shipped_at"),
            taken_out_by: null,
            taken_out_at: null,
          }))
          .where((eb) =>
            eb.and([
              eb("pr_shipments.shipped_at", "<=", eb.ref("excluded.shipped_at")),
              eb.or([eb("pr_shipments.taken_out_at", "is", null), eb("pr_shipments.taken_out_at", "<=", eb.ref("excluded.shipped_at"))]),
            ]),
          ),
      )
      .execute(),
  );
}

export async function markTakenOut(ctx: StoreContext, repo: string, prNumbers: readonly number[], service: string, env: string, takenOut: TakenOut): Promise<void> {
  if (prNumbers.length === 0) return;
  await write(ctx, (trx) =>
    trx
      .updateTable("pr_shipments")
      .set({ taken_out_by: takenOut.deployId, taken_out_at: takenOut.at })
      .where("repo", "=", repo)
      .where("pr_number", "in", [...prNumbers])
      .where("service", "=", service)
      .where("env", "=", env)
      .where("shipped_at", "<=", takenOut.at)
      .where("taken_out_at", "is", null)
      .execute(),
  );
}

/**
 * Insert the PR's row held by `claimant`, or take it over when nobody holds it or the holder's
 * claim ran out; the notice is read in the same transaction. On PostgreSQL the conditional UPDATE
 * re-checks its WHERE once it has the row, so of two claimants exactly one wins.
 */
export function claimPrNotice(ctx: StoreContext, repo: string, prNumber: number, claimant: string, now: Date, until: Date): Promise<PrNotice | undefined> {
  const claim = { claimed_by: claimant, claim_until: until.toISOString() };
  return write(ctx, async (trx) => {
    const inserted = await trx
      .insertInto("pr_notices")
      .values({ repo, pr_number: prNumber, comment_id: null, shown: null, ...claim })
      .onConflict((oc) => oc.columns(["repo", "pr_number"]).doNothing())
      .returning("repo")
      .executeTakeFirst();
    if (!inserted) {
      const taken = await trx
        .updateTable("pr_notices")
        .set(claim)
        .where("repo", "=", repo)
        .where("pr_number", "=", prNumber)
        .where((eb) => eb.or([eb("claim_until", "is", null), eb("claim_until", "<=", now.toISOString())]))
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) return undefined;
    }
    return readNotice(trx, repo, prNumber);
  });
}

export async function releasePrNotice(ctx: StoreContext, repo: string, prNumber: number, claimant: string, shown?: ShownComment): Promise<void> {
  await write(ctx, async (trx) => {
    const released = await trx
      .updateTable("pr_notices")
      .set({ claimed_by: null, claim_until: null, ...(shown ? { comment_id: shown.commentId, shown: shown.shown } : {}) })
      .where("repo", "=", repo)
      .where("pr_number", "=", prNumber)
      .where("claimed_by", "=", claimant)
      .executeTakeFirst();
    if (Number(released.numUpdatedRows) === 1 || !shown) return;
    // The claim ran out while the comment was being created: keep its id all the same, so the next writer edits it.
    await trx.updateTable("pr_notices").set({ comment_id: shown.commentId }).where("repo", "=", repo).where("pr_number", "=", prNumber).where("comment_id", "is", null).execute();
  });
}

async function readNotice(trx: StoreTransaction, repo: string, prNumber: number): Promise<PrNotice> {
  const row = await trx.selectFrom("pr_notices").select(["comment_id", "shown"]).where("repo", "=", repo).where("pr_number", "=", prNumber).executeTakeFirst();
  const shipments = await trx
    .selectFrom("pr_shipments")
    .selectAll()
    .where("repo", "=", repo)
    .where("pr_number", "=", prNumber)
    .orderBy("shipped_at", "asc")
    .orderBy("service", "asc")
    .orderBy("env", "asc")
    .execute();
  return {
    repo,
    prNumber,
    ...(row?.comment_id != null ? { commentId: Number(row.comment_id) } : {}),
    ...(row?.shown != null ? { shown: row.shown } : {}),
    shipments: shipments.map(shipmentFromRow),
  };
}
