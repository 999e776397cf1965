import type { PrNotice, PrShipment, ShownComment, TakenOut } from "../model/pr-notice.js";

/**
 * Where each PR is live, and its one comment saying so, shared by every replica. A comment is
 * written by one holder at a time: the holder reads the PR's shipments under its claim, writes
 * the comment, releases with what it wrote, and reads again; a writer that finds the PR held
 * leaves its shipment to the holder's second read. Every method is atomic in every dialect.
 */
export interface PrNoticeStore {
  /**
   * The PRs reached (service, env). A shipment replaces the PR's older one there (and clears a
   * taken-out mark older than it); an older one, sent again late, changes nothing.
   */
  recordShipments(shipments: readonly PrShipment[]): Promise<void>;
  /** The PRs left (service, env): marks their shipments there that are older than `takenOut.at` and not marked yet. */
  markTakenOut(repo: string, prNumbers: readonly number[], service: string, env: string, takenOut: TakenOut): Promise<void>;
  /**
   * Hold the PR's comment until `until` and read its notice; undefined while another claimant
   * holds an unexpired claim. A claim that ran out (its holder died) can be taken.
   */
  claimPrNotice(repo: string, prNumber: number, claimant: string, now: Date, until: Date): Promise<PrNotice | undefined>;
  /**
   * Let go of the claim, keeping what was written (`shown`). A new comment id is kept even when
   * the claim ran out meanwhile, so nobody creates a second comment.
   */
  releasePrNotice(repo: string, prNumber: number, claimant: string, shown?: ShownComment): Promise<void>;
}
