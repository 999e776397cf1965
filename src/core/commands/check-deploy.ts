import type { Target } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { Decision } from "../policies/decision.js";
import type { DeployCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { shortSha } from "./deploy-view.js";
import { forkDecision, refuseForkDeploy, resolveSha } from "./handle-deploy.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";
import { decideSubmission } from "./submit-deploy.js";

/** The policies' answer on a deploy of an already resolved sha, and the deploy it would queue behind. */
export type DeployVerdict = Decision & { readonly running?: Deploy };

/**
 * Would a deploy of `resolved` be let through right now? Exactly submitDeploy's decision, but
 * nothing is stored or started: `check` and `diff` ask it. Confirmation is not asked: the caller
 * is the one who decides to go ahead.
 */
export async function deployVerdict(
  deps: CommandDeps,
  target: Target,
  resolved: { readonly sha: string; readonly ref: string },
  request: { readonly force: boolean; readonly reason?: string },
  context: RequestContext,
): Promise<DeployVerdict> {
  const fork = forkDecision(deps, target, context);
  if (!fork.allowed) return fork;
  const submission = { target, action: "deploy" as const, ...resolved, force: request.force, yes: true, ...(request.reason ? { reason: request.reason } : {}) };
  const [decision, running] = await Promise.all([decideSubmission(deps, submission, context), deps.store.getRunning(target.service, target.env)]);
  return running ? { ...decision, running } : decision;
}

/** The wait a deploy that passes would still have in an environment with approvals; "" elsewhere. */
export function approvalWait(target: Target): string {
  const required = target.approvals?.required;
  return required ? ` It would then wait for ${required} approval${required === 1 ? "" : "s"} before it starts.` : "";
}

/** `check`: the same ref resolution and policies as a real deploy, for workflows that deploy by themselves. */
export async function checkDeploy(deps: CommandDeps, command: DeployCommand, context: RequestContext): Promise<CommandResult> {
  const target = resolveTarget(deps.config, command.service, command.env);
  if (!target) return refused("unknown_service", `Unknown service or environment: ${command.service}/${command.env}.`);
  const fork = refuseForkDeploy(deps, target, context);
  if (fork) return fork;
  const resolved = await resolveSha(deps, target, command.ref);
  if ("outcome" in resolved) return resolved;
  const verdict = await deployVerdict(deps, target, resolved, command, context);
  if (!verdict.allowed) return refused(verdict.reasonCode, verdict.message);
  const where = `${target.service}/${target.env}`;
  const forced = verdict.forcedPast?.length ? ` only with --force (it passes: ${verdict.forcedPast.map((d) => d.reasonCode).join(", ")})` : "";
  const running = verdict.running;
  const busy = running ? ` Deploy ${running.id} of ${shortSha(running.sha)} is running there now, so a new deploy would queue behind it.` : "";
  return done(`${where} is deployable now${forced}: ${shortSha(resolved.sha)} (${resolved.ref}) passes every policy.${busy}${approvalWait(target)}`);
}
