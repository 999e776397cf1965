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
  if (command.of) {
    const named = await refuseNamedRollback(deps, command.of, current, where);
    if (named) return named;
  }
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
      rollback: { of: current.id, to: back.id, ...(target.rollback === "rollback-stage" && back.executionId ? { targetExecutionId: back.executionId } : {}) },
    },
    context,
  );
}

/**
 * A rollback that names the release it rolls back (a card's button, a confirmation) applies only
 * while that release is live and nothing is rolling it back already: a stale card or a second
 * click must not roll back a newer release, or roll back twice.
 */
async function refuseNamedRollback(deps: CommandDeps, of: string, current: Deploy, where: string): Promise<CommandResult | undefined> {
  if (current.id !== of) {
    return refused(
      "not_current",
      `A newer deploy (\`${shortSha(current.sha)}\`, deploy \`${current.id}\`) is live in ${where}, so the rollback of deploy ${of} no longer applies; nothing was done. ` +
        `Use \`rollback ${current.service} ${current.env}\` to choose a release.`,
    );
  }
  const active = await deps.store.listDeploys({ service: current.service, env: current.env, states: ["queued", "running", "verifying"] });
  const under = active.find((d) => d.rollbackOf === of);
  return under ? refused("rollback_in_progress", `A rollback of deploy ${of} is already ${under.state} (deploy \`${under.id}\`); nothing was done twice.`) : undefined;
}
