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
  | "bad_command"
  | "not_found"
  | "store_unavailable"
  | "pipeline_error"
  | "internal_error";

export interface Allow {
  readonly allowed: true;
  /** Refusals an admin's --force passed; announced loudly. */
  readonly forcedPast?: readonly Deny[];
}

export interface Deny {
  readonly allowed: false;
  readonly reasonCode: ReasonCode;
  /** What is wrong and what to do next. */
  readonly message: string;
  /** For window_closed: when the blocking window ends (or the allow window next opens). */
  readonly until?: string;
}

export type Decision = Allow | Deny;

export const allow = (forcedPast?: readonly Deny[]): Allow => (forcedPast?.length ? { allowed: true, forcedPast } : { allowed: true });
export const deny = (reasonCode: ReasonCode, message: string, until?: string): Deny =>
  until ? { allowed: false, reasonCode, message, until } : { allowed: false, reasonCode, message };
