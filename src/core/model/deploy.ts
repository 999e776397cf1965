import type { ReasonCode } from "../policies/decision.js";
import type { Surface } from "./actor.js";
import type { ChangeSet } from "./change-set.js";

/**
 * requested → [awaiting_approval →] queued → running → succeeded | failed | cancelled (docs/architecture.md,
 * A deploy's states). awaiting_approval holds no running slot and is not in the queue.
 */
export type DeployState = "awaiting_approval" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const FINAL_STATES: readonly DeployState[] = ["succeeded", "failed", "cancelled"];
export const isFinal = (state: DeployState): boolean => FINAL_STATES.includes(state);

export type StageStatus = "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "skipped";

export interface ActionProgress {
  readonly name: string;
  readonly status: StageStatus;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly url?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly outputVariables?: Readonly<Record<string, string>>;
}

export interface StageProgress {
  readonly name: string;
  readonly status: StageStatus;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly actions?: readonly ActionProgress[];
}

/** A deploy that waits for approvals (docs/commands.md, Approvals): what it needs and what it has. */
export interface ApprovalRequest {
  /** Distinct approvers needed, as configured when it was asked for. */
  readonly required: number;
  /** Past this, the request lapses (approval_expired). */
  readonly expiresAt: string;
  /** Who approved so far (display names), in order. */
  readonly approvedBy: readonly string[];
}

export interface Deploy {
  /** Matches ^[a-zA-Z0-9-]{1,128}$: it is CodePipeline's clientRequestToken. */
  readonly id: string;
  readonly service: string;
  readonly env: string;
  readonly sha: string;
  /** What the actor asked for (branch, tag, sha, or a description such as "live in staging"). */
  readonly ref: string;
  readonly actor: string;
  readonly actorLogin?: string;
  /**
   * The requester's actorKey, exactly as it was when they asked: whose lock the deploy may pass and
   * whose queued deploy `cancel` drops. Absent on deploys recorded before it was kept.
   */
  readonly actorKey?: string;
  readonly surface: Surface;
  /** Merge deploys are automatic; a newer one supersedes an older queued one. */
  readonly automatic: boolean;
  readonly reason?: string;
  /** Passed locks/windows/promotion with --force. */
  readonly forced: boolean;
  readonly state: DeployState;
  /** Monotonic queue order (FIFO within a service/env). */
  readonly seq: number;
  readonly pipelineName: string;
  readonly executionId?: string;
  readonly stages: readonly StageProgress[];
  readonly artifact?: string;
  readonly error?: string;
  /** For a deploy Whistlestop dropped or superseded: the reason code of `error` (docs/commands.md, Reason codes). */
  readonly reasonCode?: ReasonCode;
  /** Why a queued deploy is not starting yet (a window), shown to users. */
  readonly waitingReason?: string;
  readonly requestedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly slackChannel?: string;
  readonly slackTs?: string;
  readonly githubRepo?: string;
  readonly githubDeploymentId?: number;
  readonly prNumber?: number;
  readonly prCommentId?: number;
  /** The comment that carried the command, for the 🚀 reaction. */
  readonly commandCommentId?: number;
  readonly rollbackOf?: string;
  /** On a failed deploy: the automatic rollback it started (on_failure: rollback). */
  readonly autoRollbackId?: string;
  /** For rollback-stage: the execution the deploy stage is rolled back to. */
  readonly rollbackTargetExecutionId?: string;
  /** The replica that tracks this deploy, and until when its claim holds: when it runs out, another replica takes the deploy over. */
  readonly ownerId?: string;
  readonly leaseExpiresAt?: string;
  /** The last state every notifier delivered; differs from `state` until reporting caught up. */
  readonly notifiedState?: DeployState;
  /** What it ships (or a rollback takes out); recorded shortly after the request, absent until then. */
  readonly changeSet?: ChangeSet;
  /** Set when the environment asks for approvals: the deploy was stored awaiting_approval. */
  readonly approval?: ApprovalRequest;
}

/**
 * What a request creates; the store assigns `seq` and sets state "queued", or "awaiting_approval"
 * when `approval` is given (with nobody's approval yet).
 */
export type NewDeploy = Omit<Deploy, "seq" | "state" | "stages" | "notifiedState" | "approval"> & {
  readonly stages?: readonly StageProgress[];
  readonly approval?: Omit<ApprovalRequest, "approvedBy">;
};

/** Fields that change during a deploy's life. */
export type DeployPatch = Partial<
  Pick<
    Deploy,
    | "state"
    | "executionId"
    | "stages"
    | "artifact"
    | "error"
    | "reasonCode"
    | "waitingReason"
    | "startedAt"
    | "finishedAt"
    | "slackChannel"
    | "slackTs"
    | "githubDeploymentId"
    | "prCommentId"
    | "rollbackTargetExecutionId"
    | "ownerId"
    | "leaseExpiresAt"
    | "changeSet"
    | "autoRollbackId"
  >
>;
