import type { Actor } from "../model/actor.js";
import type { DeployState } from "../model/deploy.js";
import type { AuditAnswer, AuditFilters } from "./read-audit.js";
import type { DeployView } from "./command-result.js";
import type { CommandResult } from "./command-result.js";
import type { Command, Verb } from "./command.js";
import type { PendingCommand } from "./pending-command.js";
import type { RequestContext } from "./request-context.js";
import type { ProtectionRuleRequest, ProtectionRuleReview } from "./review-protection-rule.js";

export interface RunTextOptions {
  /** Slack's `/rollback` etc.: the verb when the text does not start with one. */
  readonly defaultVerb?: Verb;
  /** GitHub comments: services whose repo is the comment's repository. */
  readonly repoServices?: readonly string[];
}

/**
 * The inbound port every surface (API, Slack, GitHub, CLI) drives: text or a command and who asked
 * in, a CommandResult out. Every decision and rule is behind it, so no surface has rules of its own;
 * each surface depends on the methods it uses (Pick<CommandRunner, …>).
 */
export interface CommandRunner {
  /** Parse `text` (surface from context.actor.surface) and run it through the policies. */
  runText(text: string, context: RequestContext, options?: RunTextOptions): Promise<CommandResult>;
  /** Run a command a surface built itself (a merge's deploy, a PR's rollback) through the policies. */
  run(command: Command, context: RequestContext): Promise<CommandResult>;
  /**
   * Go ahead with a command someone confirmed (a confirmation_required result's `pending`): decided
   * once more, now, for exactly the sha or release the question named.
   */
  confirm(pending: PendingCommand, context: RequestContext): Promise<CommandResult>;
  /** Cancel one deploy by id (a card's button): a stale card cancels nothing else. */
  cancelById(id: string, context: RequestContext): Promise<CommandResult>;
  /**
   * Roll back the release deploy `id` made (a card's button): refused with not_current when another
   * release is live by now, and rollback_in_progress while a rollback of it is queued or running.
   */
  rollbackDeploy(id: string, context: RequestContext): Promise<CommandResult>;
  /** A GitHub deployment protection rule: approve or reject, audited; fails closed. */
  reviewProtectionRule(request: ProtectionRuleRequest): Promise<ProtectionRuleReview>;
  /**
   * Would the `deploy …` command in `text` be let through now? Runs the policies only: nothing is
   * stored or started. outcome "done" = deployable, "refused" = blocked (with the reason code).
   */
  check?(text: string, context: RequestContext): Promise<CommandResult>;
  /** The audit log, newest first and paged; only admins get entries (read-audit.ts). */
  readAudit?(filters: AuditFilters, actor: Actor): Promise<AuditAnswer>;
  getDeploy(id: string): Promise<DeployView | undefined>;
  listDeploys(filter: { service?: string; env?: string; limit?: number; states?: readonly DeployState[] }): Promise<DeployView[]>;
}
