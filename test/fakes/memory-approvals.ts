import { rejectionError, type ApprovalVote, type VoteResult } from "../../src/core/model/approval.js";
import type { Deploy } from "../../src/core/model/deploy.js";

/**
 * The approvals part of the MemoryStore, over its deploy rows: the same rules as the databases'
 * recordVote (approval-queries.ts), atomic because each call runs to its end before another starts.
 */
export class MemoryApprovals {
  constructor(
    private readonly deploys: Map<string, Deploy>,
    /** Votes by deploy id, then by approver key (the database's rows: shared by every store on it). */
    readonly votes = new Map<string, Map<string, ApprovalVote>>(),
  ) {}

  record(vote: ApprovalVote): VoteResult {
    const deploy = this.deploys.get(vote.deployId);
    if (!deploy) return { kind: "not_awaiting" };
    if (deploy.state !== "awaiting_approval" || !deploy.approval) return { kind: "not_awaiting", deploy };
    const at = new Date(vote.at).toISOString();
    if (at >= deploy.approval.expiresAt) return { kind: "expired", deploy };
    const mine = this.votes.get(vote.deployId) ?? new Map<string, ApprovalVote>();
    this.votes.set(vote.deployId, mine);
    const stored: ApprovalVote = { ...vote, at };
    if (vote.verdict === "rejected") {
      mine.set(vote.approverKey, stored);
      return { kind: "rejected", deploy: this.save({ ...deploy, state: "cancelled", error: rejectionError(vote), finishedAt: at }) };
    }
    if (mine.has(vote.approverKey)) return { kind: "duplicate", deploy };
    mine.set(vote.approverKey, stored);
    const approvedBy = this.list(vote.deployId).filter((v) => v.verdict === "approved").map((v) => v.approver);
    const last = approvedBy.length >= deploy.approval.required;
    const updated = this.save({ ...deploy, ...(last ? { state: "queued" as const } : {}), approval: { ...deploy.approval, approvedBy } });
    return { kind: last ? "approved" : "counted", deploy: updated };
  }

  list(deployId: string): ApprovalVote[] {
    return [...(this.votes.get(deployId)?.values() ?? [])].sort((a, b) => a.at.localeCompare(b.at) || a.approverKey.localeCompare(b.approverKey));
  }

  private save(deploy: Deploy): Deploy {
    this.deploys.set(deploy.id, deploy);
    return deploy;
  }
}
