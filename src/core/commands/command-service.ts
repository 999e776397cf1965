import type { Actor } from "../model/actor.js";
import { auditActorKey } from "../model/audit.js";
import type { Deploy, DeployState } from "../model/deploy.js";
import { PipelineError } from "../ports/pipeline.js";
import { clientScopePolicy } from "../policies/client-scope-policy.js";
import type { Command, Verb } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, DeployView, RefusedResult } from "./command-result.js";
import type { CommandRunner, RunTextOptions } from "./command-runner.js";
import { toDeployView } from "./deploy-view.js";
import { handleHelp } from "./handle-help.js";
import type { PendingCommand } from "./pending-command.js";
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

/** Each verb's command, by verb. */
type CommandOf = { [C in Command as C["verb"]]: C };
type Handler<V extends Verb> = (deps: CommandDeps, command: CommandOf[V], context: RequestContext) => Promise<CommandResult> | CommandResult;

/** What the audit log records of a command: its verb and target. */
type AuditedCommand = { readonly verb: Command["verb"]; readonly service?: string; readonly env?: string };

/** One runner per verb (Atlantis' map from command name to runner), each typed for its own command. */
const HANDLERS: { readonly [V in Verb]: Handler<V> } = {
  deploy: handleDeploy,
  rollback: handleRollback,
  lock: handleLock,
  unlock: handleUnlock,
  cancel: handleCancel,
  deploys: handleDeploys,
  windows: (deps, command) => handleWindows(deps, command.env),
  help: (deps, _command, context) => handleHelp(deps, "", context.actor),
};

/** The handler of `verb`, called with a command of that verb (TypeScript follows the pairing through V). */
function runHandler<V extends Verb>(verb: V, deps: CommandDeps, command: CommandOf[V], context: RequestContext): Promise<CommandResult> | CommandResult {
  const handler: Handler<V> = HANDLERS[verb];
  return handler(deps, command, context);
}

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
    if (parsed.kind === "ignore") return { outcome: "ignored" };
    if (parsed.kind === "reply") {
      const reply = parsed.reply;
      if (reply.type === "help") return this.safely(() => handleHelp(this.deps, reply.text, context.actor));
      return this.audited({ verb: "help" }, context, refused(reply.reasonCode, reply.message));
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
      // Help decides nothing: not scoped, not audited.
      if (command.verb === "help") return runHandler("help", this.deps, command, context);
      const scope = clientScopePolicy(this.deps.config, context.actor, scopeOf(command));
      if (!scope.allowed) return this.audited(command, context, refused(scope.reasonCode, scope.message));
      if (ONCE_ONLY.has(command.verb) && context.idempotencyKey) {
        const first = await this.deps.store.recordKey(context.idempotencyKey, this.deps.clock.now());
        if (!first) return done("Already handled this request; nothing new was done.");
      }
      return this.audited(command, context, await runHandler(command.verb, this.deps, command, context));
    }, { command, context });
  }

  /** Go ahead with a confirmed command: decided again now, for exactly the sha or release it names. */
  async confirm(pending: PendingCommand, context: RequestContext): Promise<CommandResult> {
    return this.run({ ...pending, yes: true }, context);
  }

  /** Roll back the release a deploy made (a card's button); handleRollback refuses a stale or repeated one. */
  async rollbackDeploy(id: string, context: RequestContext): Promise<CommandResult> {
    return this.safely(async () => {
      const deploy = await this.deps.store.getDeploy(id);
      if (!deploy) return refused("not_found", `There is no deploy ${id}, so nothing was rolled back.`);
      return this.run({ verb: "rollback", service: deploy.service, env: deploy.env, of: deploy.id, force: false, yes: false }, context);
    });
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

  private async audited(command: AuditedCommand, context: RequestContext, result: CommandResult): Promise<CommandResult> {
    await this.deps.store.appendAudit({
      at: this.deps.clock.now().toISOString(),
      actor: context.actor.name,
      actorKey: auditActorKey(context.actor),
      surface: context.actor.surface,
      action: recordOf(result)?.forced ? `${command.verb} --force` : command.verb,
      ...(command.service ? { service: command.service } : {}),
      ...(command.env ? { env: command.env } : {}),
      ...(recordOf(result) ? { deployId: recordOf(result)!.id } : {}),
      outcome: result.outcome,
      ...(result.outcome === "refused" ? { reasonCode: result.reasonCode } : {}),
      message: messageOf(result).slice(0, 2000),
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

  private async refusalFor(error: unknown): Promise<RefusedResult> {
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

/** The deploy a result concerns, as stored (audit: its id, and whether it was forced). */
const recordOf = (result: CommandResult): Deploy | undefined => ("record" in result ? result.record : undefined);
const messageOf = (result: CommandResult): string => ("message" in result ? result.message : "");
