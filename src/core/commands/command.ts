/** What every surface turns its input into (the grammar of docs/commands.md). One parser, one shape. */
export interface DeployCommand {
  readonly verb: "deploy";
  readonly service: string;
  readonly env: string;
  /** Branch, tag or sha; absent → promote_from's live sha, else the default branch head. */
  readonly ref?: string;
  /**
   * The full sha, when it was already decided (a confirmation, a merge commit GitHub named): it
   * is deployed as it is and `ref` only describes it. The parser never sets it.
   */
  readonly sha?: string;
  readonly force: boolean;
  readonly yes: boolean;
  readonly reason?: string;
}

export interface RollbackCommand {
  readonly verb: "rollback";
  readonly service: string;
  /** Absent only from a GitHub comment on a merged PR: every env where the PR is live. */
  readonly env?: string;
  /** A deploy id or a sha; absent → the release live before the current one. */
  readonly target?: string;
  /**
   * The deploy id of the release to roll back, when the request names it (a card's Roll back
   * button, a confirmation): refused with not_current once another release is live, and with
   * rollback_in_progress while a rollback of it is queued or running. The parser never sets it.
   */
  readonly of?: string;
  readonly force: boolean;
  readonly yes: boolean;
  readonly reason?: string;
}

/** `diff <service> <env> [<ref>]`: what a deploy would ship there; it starts and stores nothing. */
export interface DiffCommand {
  readonly verb: "diff";
  readonly service: string;
  readonly env: string;
  /** As a deploy's: absent → promote_from's live sha, else the default branch head. */
  readonly ref?: string;
}

/** `status <service>`: per environment, what is live, running, queued and awaiting approval, the lock and open windows. */
export interface StatusCommand {
  readonly verb: "status";
  readonly service: string;
}

export interface LockCommand {
  readonly verb: "lock";
  /** A service name or "all". */
  readonly service: string;
  /** An environment name or "all". */
  readonly env: string;
  /** ISO time when the lock ends; absent → until unlocked. */
  readonly until?: string;
  readonly reason?: string;
}

export interface UnlockCommand {
  readonly verb: "unlock";
  readonly service: string;
  readonly env: string;
  readonly force: boolean;
}

export interface DeploysCommand {
  readonly verb: "deploys";
  readonly service?: string;
  readonly env?: string;
}

export interface CancelCommand {
  readonly verb: "cancel";
  readonly service: string;
  readonly env: string;
}

export interface WindowsCommand {
  readonly verb: "windows";
  readonly env?: string;
}

/** `approve <deploy-id>`: one approval of a deploy awaiting approval (docs/commands.md, Approvals). */
export interface ApproveCommand {
  readonly verb: "approve";
  readonly id: string;
}

/** `reject <deploy-id> [--reason "…"]`: cancel a deploy awaiting approval, saying why. */
export interface RejectCommand {
  readonly verb: "reject";
  readonly id: string;
  readonly reason?: string;
}

export interface HelpCommand {
  readonly verb: "help";
}

export type Command =
  | DeployCommand
  | RollbackCommand
  | DiffCommand
  | StatusCommand
  | LockCommand
  | UnlockCommand
  | DeploysCommand
  | CancelCommand
  | WindowsCommand
  | ApproveCommand
  | RejectCommand
  | HelpCommand;

export type Verb = Command["verb"];
export const VERBS: readonly Verb[] = ["deploy", "rollback", "lock", "unlock", "deploys", "cancel", "windows", "approve", "reject", "diff", "status", "help"];

/**
 * Verbs about the person rather than a deploy: linking a GitHub account and personal API tokens.
 * They are answered by the Slack surface itself; everywhere else they are refused with a pointer.
 */
export const SLACK_ONLY_VERBS = ["link", "unlink", "token", "tokens"] as const;
export type SlackOnlyVerb = (typeof SLACK_ONLY_VERBS)[number];
