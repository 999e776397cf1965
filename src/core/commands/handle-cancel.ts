import { actorKey, deployOwnerKey, type Actor } from "../model/actor.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import { permissionPolicy } from "../policies/permission-policy.js";
import type { CancelCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { shortSha, toDeployView } from "./deploy-view.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";

const isOwnDeploy = (deploy: Deploy, actor: Actor): boolean =>
  deployOwnerKey(deploy) === actorKey(actor);

/**
 * `cancel <service> <env>` drops the caller's own queued deploy, or their own request awaiting
 * approval, when there is one (the least destructive reading), otherwise stops the running deploy.
 */
export async function handleCancel(deps: CommandDeps, command: CancelCommand, context: RequestContext): Promise<CommandResult> {
  const denied = await mayNotCancel(deps, command.service, command.env, context.actor);
  if (denied) return denied;
  const where = `${command.service}/${command.env}`;
  const queue = await deps.store.listQueue(command.service, command.env);
  const awaiting = await deps.store.listDeploys({ service: command.service, env: command.env, states: ["awaiting_approval"] });
  const own = queue.filter((d) => isOwnDeploy(d, context.actor)).pop() ?? awaiting.find((d) => isOwnDeploy(d, context.actor));
  if (own) return cancelDeploy(deps, own, context.actor);
  const running = await deps.store.getRunning(command.service, command.env);
  if (running) return cancelDeploy(deps, running, context.actor);
  return refused("not_found", `Nothing is running or queued for ${where}, so there is nothing to cancel.`);
}

/** Whoever may deploy to (service, env) may cancel there; a refusal to show, or undefined when allowed. */
export async function mayNotCancel(deps: CommandDeps, service: string, env: string, actor: Actor): Promise<CommandResult | undefined> {
  const target = resolveTarget(deps.config, service, env);
  if (!target) return refused("unknown_service", `Unknown service or environment: ${service}/${env}.`);
  const facts = await gatherPermissionFacts(deps, actor, target);
  const permission = permissionPolicy({ config: deps.config, target, actor, ...facts }, "cancel a deploy of");
  return permission.allowed ? undefined : refused(permission.reasonCode, permission.message);
}

/** Cancel one deploy (also the Slack card's button): stop it if running, drop it if queued. */
export async function cancelDeploy(deps: CommandDeps, deploy: Deploy, actor: Actor): Promise<CommandResult> {
  const reason = `cancelled by ${actor.name}`;
  const what = `deploy ${deploy.id} of ${deploy.service}/${deploy.env} at ${shortSha(deploy.sha)}`;
  if (deploy.state === "queued") {
    const dropped = await deps.orchestrator.dropQueued(deploy, reason);
    if (dropped) return done(`Dropped queued ${what}.`, { deploy: toDeployView(dropped), record: dropped });
  } else if (deploy.state === "awaiting_approval") {
    const withdrawn = await deps.store.updateDeploy(deploy.id, { state: "cancelled", error: reason, finishedAt: deps.clock.now().toISOString() }, "awaiting_approval");
    if (withdrawn) {
      deps.orchestrator.report("cancelled", withdrawn, reason);
      return done(`Cancelled ${what}, which was awaiting approval.`, { deploy: toDeployView(withdrawn), record: withdrawn });
    }
  } else if (deploy.state === "verifying") {
    const stopped = await deps.orchestrator.stopVerifying(deploy, actor.name);
    if (stopped) {
      const message = `Stopped verifying ${what}: its pipeline had succeeded, so it counts as succeeded, unverified. If it is broken, \`rollback ${deploy.service} ${deploy.env}\`.`;
      return done(message, { deploy: toDeployView(stopped), record: stopped });
    }
  } else if (deploy.state === "running") {
    await deps.orchestrator.stop(deploy, reason);
    const now = (await deps.store.getDeploy(deploy.id)) ?? deploy;
    return done(`Stopping ${what}; its pipeline execution is being stopped.`, { deploy: toDeployView(now), record: now });
  }
  const latest = (await deps.store.getDeploy(deploy.id)) ?? deploy;
  return refused("not_found", `The ${what} has already ${latest.state === "cancelled" ? "been cancelled" : latest.state}; nothing to cancel.`);
}
