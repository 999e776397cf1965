import type { ChangeSet, PullRef } from "../model/change-set.js";
import type { Deploy } from "../model/deploy.js";

/**
 * What a finished deploy has to tell the people whose PRs it moved:
 * - `shipped`: it succeeded and put the PRs live (a deploy or a promotion);
 * - `not_shipped`: it failed, so the PRs it was taking out did not arrive;
 * - `taken_out`: it succeeded going back (a rollback, or a deploy of an older commit), so the
 *   PRs are no longer live there. Nothing "shipped": a rollback never says so.
 */
export type ShipNewsKind = "shipped" | "not_shipped" | "taken_out";

export interface ShipNews {
  readonly kind: ShipNewsKind;
  /** Every merged PR the deploy moved, newest first. */
  readonly pulls: readonly PullRef[];
}

/**
 * Every merged PR a change set names. Change sets recorded before the full list was kept have
 * only the listed ones (at most MAX_LISTED_PULLS): those are all that can be told.
 */
export function everyPull(changeSet: ChangeSet): readonly PullRef[] {
  return changeSet.allPulls ?? changeSet.pulls.map(({ number, author }) => ({ number, ...(author ? { author } : {}) }));
}

/**
 * The news a deploy carries once it has ended and its change set is known; undefined while it
 * runs, when it was cancelled, or when its change set lists no PR (a first deploy, a compare that
 * failed or was too large to list). Pure: the notifiers decide where it goes.
 */
export function shipNewsOf(deploy: Deploy): ShipNews | undefined {
  const changeSet = deploy.changeSet;
  if (!changeSet || changeSet.status !== "listed") return undefined;
  const pulls = everyPull(changeSet);
  if (pulls.length === 0) return undefined;
  const kind = newsKind(deploy, changeSet);
  return kind ? { kind, pulls } : undefined;
}

function newsKind(deploy: Deploy, changeSet: ChangeSet): ShipNewsKind | undefined {
  const ships = changeSet.direction === "ships" && !deploy.rollbackOf;
  if (deploy.state === "succeeded") return ships ? "shipped" : "taken_out";
  // A failed rollback leaves the release it meant to undo live: nothing changed for those PRs.
  if (deploy.state === "failed" && ships) return "not_shipped";
  return undefined;
}
