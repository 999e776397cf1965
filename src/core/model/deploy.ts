import type { ReasonCode } from "../policies/decision.js";
import type { Surface } from "./actor.js";
import type { ChangeSet } from "./change-set.js";

/**
 * requested → [awaiting_approval →] queued → running → [verifying →] succeeded | failed | cancelled
 * (docs/architecture.md, A deploy's states). awaiting_approval holds no running slot and is not in
 * the queue; verifying (its pipeline succeeded, its alarms are watched) still holds the slot.
 */
export type DeployState = "awaiting_approval" | "queued" | "running" | "verifying" | "succeeded" | "failed" | "cancelled";
export const FINAL_STATES: readonly DeployState[] = ["succeeded", "failed", "cancelled"];
export const isFinal = (state: DeployState): boolean => FINAL_STATES.includes(state);
/** The states that hold a (service, env)'s single slot: the next deploy there queues behind them. */
export const SLOT_STATES = ["running", "verifying"] as const satisfies readonly DeployState[];
export const holdsSlot = (state: DeployState): boolean => (SLOT_STATES as readonly DeployState[]).includes(state);

/**
 * A deploy's alarm verification (verify in whistlestop.yml), kept on the deploy so that another
 * replica, or this one restarted, goes on where it was: the time left comes from `startedAt`.
 */
export interface Verification {
  readonly alarms: readonly string[];
  readonly startedAt: string;
  readonly endsAt: string;
  readonly onAlarm: "rollback" | "notify";
  /** When CloudWatch was last asked (whatever the answer). */
  readonly checkedAt?: string;
  /** Calls made so far. */
  readonly checks: number;
  /** Failed calls in a row (throttling, outage): each one doubles the wait before the next. */
  readonly failures: number;
  /** What a person must fix (an alarm that does not exist, a missing permission), shown on the card. */
  readonly problem?: VerificationProblem;
  /** Who stopped the verification early (cancel); the deploy then ended `succeeded` at `endsAt`. */
  readonly stoppedBy?: string;
  /** Alarms CloudWatch answered for at the last check, when some of the configured ones are missing. */
  readonly found?: readonly string[];
  /**
   * Alarms in ALARM at the last check that went there before the deploy started: not this
   * release's doing yet (a fix shipped during an incident, a rollback of the release that set
   * them off). They fail the deploy only if they are still in ALARM when the period ends.
   */
  readonly holding?: readonly string[];
  /** The alarm that failed the deploy had been in ALARM since before it started and never cleared. */
  readonly heldToEnd?: boolean;
}

export interface VerificationProblem {
  /** missing_alarms: some names do not exist there; access_denied: cloudwatch:DescribeAlarms is not allowed. */
  readonly kind: "missing_alarms" | "access_denied";
  readonly message: string;
}

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
  /** Set when its pipeline succeeded where verify is configured: the alarms it watches(ed). */
  readonly verification?: Verification;
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
    | "verification"
  >
>;
