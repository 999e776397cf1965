import { resolveTarget } from "../model/resolve-target.js";
import type { Target } from "../model/config.js";
import type { Decision } from "../policies/decision.js";
import { forkPolicy } from "../policies/fork-policy.js";
import type { DeployCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import type { RequestContext } from "./request-context.js";
import { refused } from "./results.js";
import { submitDeploy } from "./submit-deploy.js";

type Resolved = { sha: string; ref: string } | CommandResult;

/**
 * The ref is resolved to a full sha before anything starts. Without a ref, an env that
 * promotes from another takes the sha live there (bake once, promote the same image); any
 * other env takes the head of the default branch.
 */
export async function resolveSha(deps: CommandDeps, target: Target, ref: string | undefined): Promise<Resolved> {
  if (ref) {
    const sha = await deps.sourceControl.resolveRef(target.repo, ref);
    return sha ? { sha, ref } : refused("bad_ref", withLimitation(deps, `Could not find \`${ref}\` in ${target.repo}. Use a branch, a tag or a commit sha that exists there.`));
  }
  if (target.promoteFrom) {
    const [live] = await deps.store.listSucceeded(target.service, target.promoteFrom, 1);
    return live
      ? { sha: live.sha, ref: `live in ${target.promoteFrom}` }
      : refused(
          "not_promoted",
          `Nothing has been deployed to ${target.service}/${target.promoteFrom} yet, and ${target.env} promotes from it. Deploy to ${target.promoteFrom} first, or name a ref.`,
        );
  }
  const sha = await deps.sourceControl.defaultBranchHead(target.repo);
  return sha ? { sha, ref: "default branch" } : refused("bad_ref", withLimitation(deps, `Could not read the default branch of ${target.repo}. Name a ref, or check the repository's settings.`));
}

const withLimitation = (deps: CommandDeps, message: string): string => (deps.sourceControl.limitation ? `${message} ${deps.sourceControl.limitation}` : message);

/** Whether the request comes from a fork's pull request that may not deploy here (fork-policy.ts). */
export function forkDecision(deps: Pick<CommandDeps, "config">, target: Target, context: RequestContext): Decision {
  return forkPolicy(deps.config, target, {
    ...(context.githubRepo ? { baseRepo: context.githubRepo } : {}),
    ...(context.pullRequestHead ? { head: context.pullRequestHead } : {}),
  });
}

/** A deploy asked for on a fork's pull request is refused before its ref is even looked up. */
export function refuseForkDeploy(deps: Pick<CommandDeps, "config">, target: Target, context: RequestContext): CommandResult | undefined {
  const decision = forkDecision(deps, target, context);
  return decision.allowed ? undefined : refused(decision.reasonCode, decision.message);
}

export async function handleDeploy(deps: CommandDeps, command: DeployCommand, context: RequestContext): Promise<CommandResult> {
  const target = resolveTarget(deps.config, command.service, command.env);
  if (!target) return refused("unknown_service", `Unknown service or environment: ${command.service}/${command.env}.`);
  const fork = refuseForkDeploy(deps, target, context);
  if (fork) return fork;
  // A sha already decided (a confirmation, a merge commit) is deployed as it is: not resolved again.
  const resolved = command.sha ? { sha: command.sha, ref: command.ref ?? command.sha } : await resolveSha(deps, target, command.ref);
  if ("outcome" in resolved) return resolved;
  return submitDeploy(
    deps,
    { target, action: "deploy", ...resolved, force: command.force, yes: command.yes, ...(command.reason ? { reason: command.reason } : {}) },
    context,
  );
}
