/** Stable, machine-readable reason codes (listed in docs/commands.md, Reason codes). Never rename one: tools match them. */
export type ReasonCode =
  | "unknown_service"
  | "unknown_environment"
  | "bad_ref"
  | "permission_denied"
  | "fork_not_allowed"
  | "locked"
  | "window_closed"
  | "not_promoted"
  | "busy"
  | "confirmation_required"
  | "not_current"
  | "rollback_in_progress"
  | "superseded"
  | "self_approval"
  | "not_an_approver"
  | "approval_expired"
  | "bad_command"
  | "not_found"
  | "store_unavailable"
  | "pipeline_error"
  | "internal_error"
  /** A deploy whose alarm went into ALARM while it was verified: `alarm:<alarm name>`. */
  | `alarm:${string}`;

/** Every code but confirmation_required, which is a question to the requester rather than a rule saying no. */
export type RefusalCode = Exclude<ReasonCode, "confirmation_required">;

export interface Allow {
  readonly allowed: true;
  /** Refusals an admin's --force passed; announced loudly. */
  readonly forcedPast?: readonly Deny[];
}

export interface Deny {
  readonly allowed: false;
  /** Never set on a refusal; see Wait. */
  readonly wait?: never;
  readonly reasonCode: RefusalCode;
  /** What is wrong and what to do next. */
  readonly message: string;
  /** For window_closed: when the blocking window ends (or the allow window next opens). */
  readonly until?: string;
}

export type Decision = Allow | Deny;

/**
 * A queued deploy's answer at its turn when what stops it will lift by itself (a window): it stays
 * at the head of its queue and says why, instead of being dropped.
 */
export interface Wait {
  readonly allowed: false;
  readonly wait: true;
  readonly reasonCode: RefusalCode;
  /** "waiting for a critical window to end until …", shown on the deploy. */
  readonly message: string;
  readonly until?: string;
}

/** What a queued deploy may do when its turn comes: go, wait at the head of the queue, or be dropped (Deny). */
export type TurnDecision = Allow | Wait | Deny;

export const allow = (forcedPast?: readonly Deny[]): Allow => (forcedPast?.length ? { allowed: true, forcedPast } : { allowed: true });
export const deny = (reasonCode: RefusalCode, message: string, until?: string): Deny =>
  until ? { allowed: false, reasonCode, message, until } : { allowed: false, reasonCode, message };
