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
  readonly forced: boolean;
  readonly reason?: string;
  readonly requestedAt: string;
  /** For a deploy that awaited approval: how many it needs, who gave theirs, until when it may get them. */
  readonly approval?: { readonly required: number; readonly approvedBy: readonly string[]; readonly expiresAt: string };
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** What it ships (a rollback: takes out), once worked out; docs/commands.md, Change sets. */
  readonly changeSet?: ChangeSetView;
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

interface Listing {
  /** A command that fans out (rollback of a PR in several envs) returns one result per deploy. */
  readonly results?: readonly CommandResult[];
  readonly deploys?: readonly DeployView[];
  readonly locks?: readonly Lock[];
  readonly windows?: readonly WindowView[];
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
