import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { RollbackCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { shortSha } from "./deploy-view.js";
import type { RequestContext } from "./request-context.js";
import { refused } from "./results.js";
import { submitDeploy } from "./submit-deploy.js";

/** How far back a rollback looks for a release to return to. */
const HISTORY = 100;

/**
 * The release to go back to: the named deploy, the newest success at the named sha, or — with no target —
 * the newest succeeded deploy whose sha differs from the current release's and that finished before it.
 */
function chooseTarget(history: readonly Deploy[], current: Deploy, wanted?: string): Deploy | undefined {
  if (!wanted) return history.find((d) => d.sha !== current.sha && (d.finishedAt ?? "") < (current.finishedAt ?? ""));
  const lower = wanted.toLowerCase();
  return history.find((d) => d.id === wanted) ?? history.find((d) => /^[0-9a-f]{7,40}$/.test(lower) && d.sha.startsWith(lower));
}

export async function handleRollback(deps: CommandDeps, command: RollbackCommand, context: RequestContext): Promise<CommandResult> {
  if (!command.env) return refused("bad_command", "Say which environment to roll back: `rollback <service> <env>`.");
  const target = resolveTarget(deps.config, command.service, command.env);
  if (!target) return refused("unknown_service", `Unknown service or environment: ${command.service}/${command.env}.`);
  const where = `${target.service}/${target.env}`;
  const history = await deps.store.listSucceeded(target.service, target.env, HISTORY);
  const [current] = history;
  if (!current) return refused("not_found", `Nothing has been deployed successfully to ${where} yet, so there is nothing to roll back.`);
  const back = chooseTarget(history, current, command.target);
  if (!back) {
    return refused(
      "not_found",
      command.target
        ? `No successful deploy of ${where} matches \`${command.target}\`. Use \`deploys ${target.service} ${target.env}\` to see its history.`
        : `There is no earlier release of ${where} to roll back to (the current one, ${shortSha(current.sha)}, is the only one).`,
    );
  }
  if (target.rollback === "rollback-stage" && !back.executionId) {
    return refused("not_found", `Deploy ${back.id} has no pipeline execution to roll back to; set rollback: redeploy or pick another release.`);
  }
  return submitDeploy(
    deps,
    {
      target,
      action: "rollback",
      sha: back.sha,
      ref: `rollback to ${shortSha(back.sha)} (deploy ${back.id})`,
      force: command.force,
      yes: command.yes,
      ...(command.reason ? { reason: command.reason } : {}),
      rollbackOf: current.id,
      ...(target.rollback === "rollback-stage" && back.executionId ? { rollbackTargetExecutionId: back.executionId } : {}),
    },
    context,
  );
}
