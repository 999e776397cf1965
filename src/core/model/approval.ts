import type { Deploy } from "./deploy.js";

export type Verdict = "approved" | "rejected";

/** One person's answer to a deploy that awaits approval (docs/commands.md, Approvals). */
export interface ApprovalVote {
  readonly deployId: string;
  /** actorKey of the approver: one answer per person, however they are named. */
  readonly approverKey: string;
  /** Display name, shown on the card. */
  readonly approver: string;
  readonly verdict: Verdict;
  readonly reason?: string;
  readonly at: string;
}

/** What recording a vote came to; decided atomically in the store, so a race has one winner. */
export type VoteResult =
  /** Recorded; the deploy still awaits more approvals. */
  | { readonly kind: "counted"; readonly deploy: Deploy }
  /** This was the last approval needed: the deploy moved to queued, in the same write. */
  | { readonly kind: "approved"; readonly deploy: Deploy }
  /** A rejection: the deploy is cancelled. */
  | { readonly kind: "rejected"; readonly deploy: Deploy }
  /** This approver had already approved: nothing changed. */
  | { readonly kind: "duplicate"; readonly deploy: Deploy }
  /** Past the request's expiry at the vote's time: nothing was recorded. */
  | { readonly kind: "expired"; readonly deploy: Deploy }
  /** No such deploy, or it no longer awaits approval (approved, rejected, expired, cancelled). */
  | { readonly kind: "not_awaiting"; readonly deploy?: Deploy };

/** "1 of 2 approvals (alex-sre)": how far a request has come. */
export function approvalProgress(approval: { readonly required: number; readonly approvedBy: readonly string[] }): string {
  const who = approval.approvedBy.length ? ` (${approval.approvedBy.join(", ")})` : "";
  return `${approval.approvedBy.length} of ${approval.required} approval${approval.required === 1 ? "" : "s"}${who}`;
}

/** The error a rejected deploy is cancelled with, the same in every store. */
export function rejectionError(vote: Pick<ApprovalVote, "approver" | "reason">): string {
  return `rejected by ${vote.approver}${vote.reason ? `: ${vote.reason}` : ""}`;
}
