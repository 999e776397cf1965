import type { ChangeSet } from "../model/change-set.js";
import type { Deploy } from "../model/deploy.js";
import type { Lock } from "../model/lock.js";
import type { RefusalCode } from "../policies/decision.js";
import type { PendingCommand } from "./pending-command.js";

/**
 * A command's outcome as every surface and the API show it (docs/commands.md, The command result);
 * a text that is no command is an IgnoredResult in the core, which the API shows as `done`.
 */
export type Outcome = "started" | "queued" | "waiting" | "refused" | "done";

export interface DeployView {
  readonly id: string;
  readonly service: string;
  readonly env: string;
  readonly sha: string;
  readonly ref: string;
  readonly actor: string;
  readonly surface: string;
  readonly state: string;
  readonly queuePosition?: number;
  readonly stages: ReadonlyArray<{ name: string; state: string; startedAt?: string; finishedAt?: string }>;
  readonly artifact: string | null;
  readonly executionId?: string;
  readonly executionUrl?: string;
  readonly error?: string;
  readonly waitingReason?: string;
  readonly rollbackOf?: string;
  /** For a deploy that failed and was rolled back automatically (on_failure, on_alarm): the rollback. */
  readonly autoRollbackId?: string;
  readonly forced: boolean;
  readonly reason?: string;
  readonly requestedAt: string;
  /** For a deploy that awaited approval: how many it needs, who gave theirs, until when it may get them. */
  readonly approval?: { readonly required: number; readonly approvedBy: readonly string[]; readonly expiresAt: string };
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** What it ships (a rollback: takes out), once worked out; docs/commands.md, Change sets. */
  readonly changeSet?: ChangeSetView;
  /** Alarm verification (verify): the alarms watched, until when, and a problem reading them. */
  readonly verification?: VerificationView;
  /** Why Whistlestop ended or dropped it: a reason code such as `alarm:<name>` or `superseded`. */
  readonly reasonCode?: string;
}

export interface VerificationView {
  readonly alarms: readonly string[];
  readonly startedAt: string;
  readonly endsAt: string;
  readonly onAlarm: "rollback" | "notify";
  readonly problem?: string;
  /** Alarms in ALARM since before the deploy started: they fail it only if still in ALARM at the end. */
  readonly holding?: readonly string[];
  /** The alarm that failed the deploy had been in ALARM since before it started and never cleared. */
  readonly heldToEnd?: boolean;
}

/** A deploy's change set as the API shows it: the stored facts and the sentence every surface prints. */
export type ChangeSetView = ChangeSet & { readonly summary: string };

export interface WindowView {
  readonly name: string;
  readonly kind: "deny" | "allow";
  readonly open: boolean;
  readonly start?: string;
  readonly end?: string;
  readonly reason?: string;
  readonly environments: readonly string[];
  readonly services: readonly string[];
}

/** What a read or fan-out command lists, next to its message (the API sends the same fields). */
export interface Listing {
  /** A command that fans out (rollback of a PR in several envs) returns one result per deploy. */
  readonly results?: readonly CommandResult[];
  readonly deploys?: readonly DeployView[];
  readonly locks?: readonly Lock[];
  readonly windows?: readonly WindowView[];
  readonly diff?: DiffView;
  readonly serviceStatus?: StatusView;
}

/** A deploy was accepted: it runs, queues, or waits for a window. */
export interface AcceptedResult {
  readonly outcome: "started" | "queued" | "waiting";
  /** Human text: what happened. */
  readonly message: string;
  readonly deploy: DeployView;
  /** Raw deploy for adapters (Slack/GitHub need ids they store); never serialised by the API. */
  readonly record: Deploy;
}

/** Nothing was done; `reasonCode` says why (docs/commands.md, Reason codes). */
export interface RefusedResult {
  readonly outcome: "refused";
  readonly reasonCode: RefusalCode;
  /** What is wrong and what to do next. */
  readonly message: string;
}

/** Everything passed, but the target asks for confirmation before this command runs. */
export interface ConfirmationResult {
  readonly outcome: "refused";
  readonly reasonCode: "confirmation_required";
  /** The question and how to answer it with text (`--yes`). */
  readonly message: string;
  /** The question alone ("donations/prod asks for confirmation before a deploy of 1a2b3c4."), for surfaces that show buttons. */
  readonly question: string;
  /** What confirming runs: the command as decided, its ref pinned to the sha the question names. */
  readonly pending: PendingCommand;
}

/** Anything else that completed: a lock, a cancel, a listing, a repeated request, a deploy that had already ended. */
export interface DoneResult extends Listing {
  readonly outcome: "done";
  readonly message: string;
  readonly deploy?: DeployView;
  readonly record?: Deploy;
}

/** The text was not a command (an ordinary GitHub comment): surfaces say nothing. */
export interface IgnoredResult {
  readonly outcome: "ignored";
}

/** What a command comes to on every surface (docs/commands.md, The command result), by outcome. */
export type CommandResult = AcceptedResult | RefusedResult | ConfirmationResult | DoneResult | IgnoredResult;

/** A result that is a refusal of either kind. */
export type Refusal = RefusedResult | ConfirmationResult;

/** A release live in an environment, as `diff` and `status` show it. */
export interface LiveReleaseView {
  readonly deployId: string;
  readonly sha: string;
  readonly ref: string;
  /** Who deployed it, and when it went live (ISO 8601). */
  readonly actor: string;
  readonly deployedAt: string;
  /**
   * The pull request it came from: the one whose merge or comment deployed it, else the newest
   * merged PR its change set lists. Title and author when the change set names them.
   */
  readonly pr?: { readonly number: number; readonly title?: string; readonly author?: string };
}

/** `diff <service> <env> [<ref>]` (docs/commands.md, diff): what a deploy would ship, and whether it would go now. */
export interface DiffView {
  readonly service: string;
  readonly env: string;
  /** The full sha a deploy would put live, and how it was chosen (the ref, "live in staging", "default branch"). */
  readonly sha: string;
  readonly ref: string;
  /** Absent when nothing is live there yet. */
  readonly live?: LiveReleaseView;
  readonly changeSet: ChangeSetView;
  /** Whether a deploy of `sha` by whoever asked would be let through now (the policies of `check`). */
  readonly deployable: boolean;
  /** Why not, when it would not be. */
  readonly reasonCode?: RefusalCode;
  /** The policies' answer in words: refused and why, or that it would start, queue, or ask for confirmation first. */
  readonly verdict: string;
  /** The deploy running there now, behind which a new one would queue. */
  readonly queuesBehind?: string;
  /** The environment asks for confirmation before a deploy. */
  readonly confirm: boolean;
}

/** One environment of `status <service>`. */
export interface EnvironmentStatusView {
  readonly env: string;
  readonly live?: LiveReleaseView;
  /** The deploy running now, and the pipeline stage it is in (absent while it is starting). */
  /** The deploy holding the slot; `verifyingUntil` while its pipeline succeeded and its alarms are watched. */
  readonly running?: { readonly deployId: string; readonly sha: string; readonly actor: string; readonly stage?: string; readonly startedAt?: string; readonly verifyingUntil?: string };
  /** Deploys queued behind it; `waiting` of them are held until a critical window ends. */
  readonly queued: number;
  readonly waiting: number;
  /** Deploys waiting for approvals. */
  readonly awaitingApproval: number;
  /** The active lock covering it (one of its own, or an `all` lock). */
  readonly lock?: Lock;
  /** Critical windows open now that cover it. */
  readonly windows: readonly WindowView[];
  /** When windows keep deploys out right now: why, and when that ends (window_closed). */
  readonly closedByWindow?: { readonly message: string; readonly until?: string };
}

/** `status <service>` (docs/commands.md, status): every environment the caller may see. */
export interface StatusView {
  readonly service: string;
  readonly environments: readonly EnvironmentStatusView[];
}
