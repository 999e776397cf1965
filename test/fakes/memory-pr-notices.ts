import type { PrNotice, PrShipment, ShownComment, TakenOut } from "../../src/core/model/pr-notice.js";

interface NoticeRow {
  commentId?: number;
  shown?: string;
  claimedBy?: string;
  claimUntil?: string;
}

const prKey = (repo: string, prNumber: number): string => `${repo}#${prNumber}`;

/**
 * The PR notice rows of the in-memory database, with the same rules as pr-notice-queries.ts;
 * atomic because each call runs to its end before another starts.
 */
export class MemoryPrNotices {
  readonly notices = new Map<string, NoticeRow>();
  /** By PR, then by "service/env". */
  readonly shipments = new Map<string, Map<string, PrShipment>>();

  record(shipments: readonly PrShipment[]): void {
    for (const shipment of shipments) {
      const mine = this.shipments.get(prKey(shipment.repo, shipment.prNumber)) ?? new Map<string, PrShipment>();
      this.shipments.set(prKey(shipment.repo, shipment.prNumber), mine);
      const place = `${shipment.service}/${shipment.env}`;
      const old = mine.get(place);
      if (old && (old.shippedAt > shipment.shippedAt || (old.takenOut && old.takenOut.at > shipment.shippedAt))) continue;
      const { takenOut: _ignored, ...fresh } = shipment;
      mine.set(place, fresh);
    }
  }

  markTakenOut(repo: string, prNumbers: readonly number[], service: string, env: string, takenOut: TakenOut): void {
    for (const prNumber of prNumbers) {
      const mine = this.shipments.get(prKey(repo, prNumber));
      const old = mine?.get(`${service}/${env}`);
      if (old && old.shippedAt <= takenOut.at && !old.takenOut) mine!.set(`${service}/${env}`, { ...old, takenOut });
    }
  }

  claim(repo: string, prNumber: number, claimant: string, now: Date, until: Date): PrNotice | undefined {
    const row = this.notices.get(prKey(repo, prNumber)) ?? {};
    if (row.claimUntil && row.claimUntil > now.toISOString()) return undefined;
    this.notices.set(prKey(repo, prNumber), { ...row, claimedBy: claimant, claimUntil: until.toISOString() });
    const shipments = [...(this.shipments.get(prKey(repo, prNumber))?.values() ?? [])].sort(
      (a, b) => a.shippedAt.localeCompare(b.shippedAt) || a.service.localeCompare(b.service) || a.env.localeCompare(b.env),
    );
    return { repo, prNumber, ...(row.commentId !== undefined ? { commentId: row.commentId } : {}), ...(row.shown !== undefined ? { shown: row.shown } : {}), shipments };
  }

  release(repo: string, prNumber: number, claimant: string, shown?: ShownComment): void {
    const row = this.notices.get(prKey(repo, prNumber));
    if (!row) return;
    if (row.claimedBy === claimant) {
      const { claimedBy: _by, claimUntil: _until, ...rest } = row;
      this.notices.set(prKey(repo, prNumber), { ...rest, ...(shown ? { commentId: shown.commentId, shown: shown.shown } : {}) });
    } else if (shown && row.commentId === undefined) {
      this.notices.set(prKey(repo, prNumber), { ...row, commentId: shown.commentId });
    }
  }
}
