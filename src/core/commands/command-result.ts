import type { ChangeSet } from "../model/change-set.js";
import type { Deploy } from "../model/deploy.js";
import type { Lock } from "../model/lock.js";
import type { ReasonCode } from "../policies/decision.js";

/** The result of a command on every surface (docs/commands.md, The command result). */
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

export interface CommandResult {
  readonly outcome: Outcome;
  readonly reasonCode?: ReasonCode;
  /** Human text: what happened and, when refused, what to do next. */
  readonly message: string;
  readonly deploy?: DeployView;
  /** A command that fans out (rollback of a PR in several envs) returns one result per deploy. */
  readonly results?: readonly CommandResult[];
  readonly deploys?: readonly DeployView[];
  readonly locks?: readonly Lock[];
  readonly windows?: readonly WindowView[];
  /** The text was not a command (an ordinary GitHub comment): surfaces say nothing. */
  readonly ignored?: boolean;
  /** Raw deploy for adapters (Slack/GitHub need ids they store); not serialised by the API. */
  readonly record?: Deploy;
}
