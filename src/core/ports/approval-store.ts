import type { ApprovalVote, VoteResult } from "../model/approval.js";

/** Approvals kept in the store, so they survive restarts and are shared by replicas. */
export interface ApprovalStore {
  /**
   * Record an approver's answer, atomically with what it causes. While the deploy awaits approval and
   * has not expired at `vote.at`: a rejection cancels it; an approval is kept once per approver key,
   * and the one that brings the count to `required` moves the deploy to queued (compare-and-set), so
   * two approvers clicking at once make exactly one transition and a repeated click counts once.
   */
  recordVote(vote: ApprovalVote): Promise<VoteResult>;
  /** Every answer given on a deploy, oldest first. */
  listVotes(deployId: string): Promise<ApprovalVote[]>;
}
