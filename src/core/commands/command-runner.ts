import type { Actor } from "../model/actor.js";
import type { DeployState } from "../model/deploy.js";
import type { AuditAnswer, AuditFilters } from "./read-audit.js";
import type { DeployView } from "./command-result.js";
import type { CommandResult } from "./command-result.js";
import type { Verb } from "./command.js";
import type { RequestContext } from "./request-context.js";

export interface RunTextOptions {
  /** Slack's `/rollback` etc.: the verb when the text does not start with one. */
  readonly defaultVerb?: Verb;
  /** GitHub comments: services whose repo is the comment's repository. */
  readonly repoServices?: readonly string[];
}

/** The inbound port every surface (API, Slack, GitHub, CLI) drives. */
export interface CommandRunner {
  /** Parse `text` (surface from context.actor.surface) and run it through the policies. */
  runText(text: string, context: RequestContext, options?: RunTextOptions): Promise<CommandResult>;
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
