import { resolveTarget } from "../model/resolve-target.js";
import type { DeployCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { shortSha } from "./deploy-view.js";
import { refuseForkDeploy, resolveSha } from "./handle-deploy.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";
import { decideSubmission } from "./submit-deploy.js";

/**
 * Would this deploy be let through right now? The same ref resolution and policies as a real
 * deploy, but nothing is stored or started (for workflows that deploy by themselves).
 * Confirmation is not asked: the caller is the one who decides to go ahead.
 */
export async function checkDeploy(deps: CommandDeps, command: DeployCommand, context: RequestContext): Promise<CommandResult> {
  const target = resolveTarget(deps.config, command.service, command.env);
  if (!target) return refused("unknown_service", `Unknown service or environment: ${command.service}/${command.env}.`);
  const fork = refuseForkDeploy(deps, target, context);
  if (fork) return fork;
  const resolved = await resolveSha(deps, target, command.ref);
  if ("outcome" in resolved) return resolved;
  const now = deps.clock.now();
  const submission = { target, action: "deploy" as const, ...resolved, force: command.force, yes: true, ...(command.reason ? { reason: command.reason } : {}) };
  const [decision, running] = await Promise.all([decideSubmission(deps, submission, context, now), deps.store.getRunning(target.service, target.env)]);
  if (!decision.allowed) return refused(decision.reasonCode, decision.message);
  const where = `${target.service}/${target.env}`;
  const forced = decision.forcedPast?.length ? ` only with --force (it passes: ${decision.forcedPast.map((d) => d.reasonCode).join(", ")})` : "";
  const busy = running ? ` Deploy ${running.id} of ${shortSha(running.sha)} is running there now, so a new deploy would queue behind it.` : "";
  const approvals = target.approvals ? ` It would then wait for ${target.approvals.required} approval${target.approvals.required === 1 ? "" : "s"} before it starts.` : "";
  return done(`${where} is deployable now${forced}: ${shortSha(resolved.sha)} (${resolved.ref}) passes every policy.${busy}${approvals}`);
}
