import type { Actor } from "../model/actor.js";
import { auditActorKey } from "../model/audit.js";
import type { DeployState } from "../model/deploy.js";
import { PipelineError } from "../ports/pipeline.js";
import { isAdmin } from "../policies/access-list.js";
import { clientScopePolicy } from "../policies/client-scope-policy.js";
import type { Command } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, DeployView } from "./command-result.js";
import type { CommandRunner, RunTextOptions } from "./command-runner.js";
import { toDeployView } from "./deploy-view.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import { cancelDeploy, handleCancel, mayNotCancel } from "./handle-cancel.js";
import { checkDeploy } from "./check-deploy.js";
import { handleDeploy } from "./handle-deploy.js";
import { handleDeploys, handleWindows } from "./handle-deploys.js";
import { handleLock, handleUnlock } from "./handle-lock.js";
import { handleRollback } from "./handle-rollback.js";
import { parseCommand } from "./parse-command.js";
import { readAudit, type AuditAnswer, type AuditFilters } from "./read-audit.js";
import { reviewProtectionRule, type ProtectionRuleRequest, type ProtectionRuleReview } from "./review-protection-rule.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";
import { STORE_UNAVAILABLE_MESSAGE } from "./store-unavailable.js";

type Handler = (deps: CommandDeps, command: never, context: RequestContext) => Promise<CommandResult> | CommandResult;

/** What the audit log records of a command: its verb and target. */
type AuditedCommand = { readonly verb: Command["verb"]; readonly service?: string; readonly env?: string };

/** One runner per verb (Atlantis' map from command name to runner). */
const HANDLERS: Record<Command["verb"], Handler> = {
  deploy: handleDeploy,
  rollback: handleRollback,
  lock: handleLock,
  unlock: handleUnlock,
  cancel: handleCancel,
  deploys: (deps, command: Extract<Command, { verb: "deploys" }>) => handleDeploys(deps, command),
  windows: (deps, command: Extract<Command, { verb: "windows" }>) => handleWindows(deps, command.env),
  help: () => done(""),
};

/** The (service, env) a command acts on, for an API client's scope. */
function scopeOf(command: Command): { verb: string; service?: string; env?: string } {
  const service = "service" in command ? command.service : undefined;
  const env = "env" in command ? command.env : undefined;
  return { verb: command.verb, ...(service !== undefined ? { service } : {}), ...(env !== undefined ? { env } : {}) };
}

/** Verbs whose repetition would change something; retried deliveries of them are answered, not re-run. */
const ONCE_ONLY = new Set<Command["verb"]>(["lock", "unlock", "cancel"]);

/** The core's front door: every surface's text becomes a Command and a CommandResult here. */
export class CommandService implements CommandRunner {
  constructor(private readonly deps: CommandDeps) {}

  async runText(text: string, context: RequestContext, options: RunTextOptions = {}): Promise<CommandResult> {
    const parsed = this.parse(text, context, options);
    if (parsed.kind === "ignore") return { outcome: "done", message: "", ignored: true };
    if (parsed.kind === "reply") {
      if (parsed.reply.type === "help") return this.safely(() => this.help(parsed.reply.type === "help" ? parsed.reply.text : "", context.actor));
      return this.audited({ verb: "help" }, context, refused(parsed.reply.reasonCode, parsed.reply.message));
    }
    return this.run(parsed.command, context);
  }

  /** A dry run of a `deploy …` text: the policies' answer, nothing stored, not audited (it decides nothing). */
  async check(text: string, context: RequestContext): Promise<CommandResult> {
    const parsed = this.parse(text, context);
    if (parsed.kind === "reply" && parsed.reply.type === "error") return refused(parsed.reply.reasonCode, parsed.reply.message);
    if (parsed.kind !== "command" || parsed.command.verb !== "deploy") {
      return refused("bad_command", "check answers for deploy commands only: send `deploy <service> <env> [<ref>]`.");
    }
    const command = parsed.command;
    const scope = clientScopePolicy(this.deps.config, context.actor, { verb: "check", service: command.service, env: command.env });
    if (!scope.allowed) return refused(scope.reasonCode, scope.message);
    return this.safely(() => checkDeploy(this.deps, command, context));
  }

  private parse(text: string, context: RequestContext, options: RunTextOptions = {}) {
    const { config, clock } = this.deps;
    return parseCommand(text, {
      surface: context.actor.surface,
      services: Object.keys(config.services),
      environments: Object.keys(config.environments),
      ...(options.repoServices ? { repoServices: options.repoServices } : {}),
      ...(options.defaultVerb ? { defaultVerb: options.defaultVerb } : {}),
      timezone: config.timezone,
      now: clock.now(),
    });
  }

  /** Run a parsed command through the policies; every decision lands in the audit log. */
  async run(command: Command, context: RequestContext): Promise<CommandResult> {
    return this.safely(async () => {
      if (command.verb === "help") return this.help("", context.actor);
      const scope = clientScopePolicy(this.deps.config, context.actor, scopeOf(command));
      if (!scope.allowed) return this.audited(command, context, refused(scope.reasonCode, scope.message));
      if (ONCE_ONLY.has(command.verb) && context.idempotencyKey) {
        const first = await this.deps.store.recordKey(context.idempotencyKey, this.deps.clock.now().toISOString());
        if (!first) return done("Already handled this request; nothing new was done.");
      }
      const handler = HANDLERS[command.verb] as (deps: CommandDeps, command: Command, context: RequestContext) => Promise<CommandResult> | CommandResult;
      return this.audited(command, context, await handler(this.deps, command, context));
    }, { command, context });
  }

  /** Cancel one deploy by id (a card's button): a stale card cancels nothing else. */
  async cancelById(id: string, context: RequestContext): Promise<CommandResult> {
    return this.safely(async () => {
      const deploy = await this.deps.store.getDeploy(id);
      if (!deploy) return refused("not_found", `There is no deploy ${id}.`);
      // Only the permission check: the card's deploy is the one to cancel, never another.
      const denied = await mayNotCancel(this.deps, deploy.service, deploy.env, context.actor);
      if (denied) return this.audited({ verb: "cancel", service: deploy.service, env: deploy.env }, context, denied);
      return this.audited({ verb: "cancel", service: deploy.service, env: deploy.env }, context, await cancelDeploy(this.deps, deploy, context.actor));
    }, { command: { verb: "cancel" }, context });
  }

  /**
   * A GitHub deployment protection rule: approve or reject, and audit the answer. Fail closed:
   * when the locks cannot be read, or the decision cannot be audited, the run is rejected.
   */
  async reviewProtectionRule(request: ProtectionRuleRequest): Promise<ProtectionRuleReview> {
    const now = this.deps.clock.now();
    const locks = await this.deps.store.listLocks(now).catch((error: unknown) => {
      this.deps.logger.error({ err: error, repo: request.repo }, "could not read locks for a deployment protection rule; rejecting");
      return undefined;
    });
    const review = reviewProtectionRule(this.deps.config, request, now, locks);
    const actor = request.actor ?? { surface: "github" as const, name: "github-actions" };
    const entry = {
      at: now.toISOString(),
      actor: actor.name,
      actorKey: auditActorKey(actor),
      surface: "github",
      action: "protection_rule",
      outcome: review.state,
      ...(review.state === "rejected" ? { reasonCode: review.basis } : {}),
      message: `${request.repo} environment "${request.githubEnvironment}": ${review.comment}`.slice(0, 2000),
    };
    const targets = review.targets.length ? review.targets : [{}];
    try {
      for (const target of targets) await this.deps.store.appendAudit({ ...entry, ...target });
    } catch (error) {
      this.deps.logger.error({ err: error, repo: request.repo }, "could not audit a deployment protection rule; rejecting");
      // A rejection stands as it is; an approval nobody can find later is not given.
      if (review.state === "rejected") return review;
      return { ...review, state: "rejected", basis: "store_unavailable", comment: "Whistlestop could not record its decision, so it rejects this deployment. Re-run the job in a minute." };
    }
    return review;
  }

  /** The audit log for the audit API: admins only, filtered and paged (read-audit.ts). */
  readAudit(filters: AuditFilters, actor: Actor): Promise<AuditAnswer> {
    return readAudit(this.deps, filters, actor);
  }

  async getDeploy(id: string): Promise<DeployView | undefined> {
    const deploy = await this.deps.store.getDeploy(id);
    if (!deploy) return undefined;
    return this.view(deploy);
  }

  async listDeploys(filter: { service?: string; env?: string; limit?: number; states?: readonly DeployState[] }): Promise<DeployView[]> {
    const deploys = await this.deps.store.listDeploys(filter);
    return Promise.all(deploys.map((d) => this.view(d)));
  }

  private async view(deploy: Parameters<typeof toDeployView>[0]): Promise<DeployView> {
    const queuePosition = deploy.state === "queued" ? await this.deps.store.queuePosition(deploy.id) : undefined;
    const executionUrl = deploy.executionId ? this.deps.pipeline.executionUrl(deploy.pipelineName, deploy.executionId) : undefined;
    return toDeployView(deploy, { ...(queuePosition ? { queuePosition } : {}), ...(executionUrl ? { executionUrl } : {}) });
  }

  private async help(text: string, actor: Actor): Promise<CommandResult> {
    const facts = await gatherPermissionFacts(this.deps, actor);
    const client = actor.apiClient ? this.deps.config.apiClients[actor.apiClient] : undefined;
    if (client) {
      const scope = `${actor.name} may ${client.may.join(", ") || "only read"} for ${client.services.join(", ")} in ${client.environments.join(", ")} (api_clients in whistlestop.yml).`;
      return done([text, scope].filter(Boolean).join("\n\n"));
    }
    const role = isAdmin(actor, this.deps.config, facts.teams)
      ? "You are an admin: you may --force through locks and windows (with --reason) and unlock anyone's lock."
      : actor.surface === "slack" && !actor.login
        ? "Your Slack account is not linked to a GitHub login, so you cannot deploy yet: type `/deploy link`, or ask an admin to add you under `people:` in whistlestop.yml."
        : `You act as ${actor.login ?? actor.name}; environments that list deployers accept only them and admins.`;
    return done([text, role].filter(Boolean).join("\n\n"));
  }

  private async audited(command: AuditedCommand, context: RequestContext, result: CommandResult): Promise<CommandResult> {
    await this.deps.store.appendAudit({
      at: this.deps.clock.now().toISOString(),
      actor: context.actor.name,
      actorKey: auditActorKey(context.actor),
      surface: context.actor.surface,
      action: result.record?.forced ? `${command.verb} --force` : command.verb,
      ...(command.service ? { service: command.service } : {}),
      ...(command.env ? { env: command.env } : {}),
      ...(result.record ? { deployId: result.record.id } : {}),
      outcome: result.outcome,
      ...(result.reasonCode ? { reasonCode: result.reasonCode } : {}),
      message: result.message.slice(0, 2000),
    });
    return result;
  }

  /** Fail closed: when anything breaks, say what happened and whether the store is the cause. */
  private async safely(work: () => Promise<CommandResult>, about?: { command: AuditedCommand; context: RequestContext }): Promise<CommandResult> {
    try {
      return await work();
    } catch (error) {
      const failed = await this.refusalFor(error);
      // A refusal by failure is still a decision; it is audited whenever the store can take it.
      if (about && failed.reasonCode !== "store_unavailable") await this.audited(about.command, about.context, failed).catch(() => undefined);
      return failed;
    }
  }

  private async refusalFor(error: unknown): Promise<CommandResult> {
    const storeUp = await this.deps.store.ping().then(
      () => true,
      () => false,
    );
    if (!storeUp) {
      this.deps.logger.error({ err: error }, "store unavailable; command refused");
      return refused("store_unavailable", STORE_UNAVAILABLE_MESSAGE);
    }
    this.deps.logger.error({ err: error }, "command failed");
    if (error instanceof PipelineError) return refused("pipeline_error", error.message);
    return refused("internal_error", `Something went wrong and the command was not completed (${(error as Error).message}). Try again; if it keeps failing, tell the SREs.`);
  }
}
