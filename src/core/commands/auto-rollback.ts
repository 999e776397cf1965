import { SYSTEM_ACTOR } from "../model/audit.js";
import type { Actor } from "../model/actor.js";
import type { OnFailure } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import type { CommandDeps } from "./command-deps.js";
import { shortSha } from "./deploy-view.js";
import type { NotificationQueue } from "../orchestrator/notification-queue.js";
import { submitDeploy } from "./submit-deploy.js";
import { appendSystemAudit } from "../orchestrator/system-audit.js";

/** How far back the automatic rollback looks for a release to return to (as `rollback` does). */
const HISTORY = 100;

/** Whistlestop itself, as the requester of its automatic rollbacks. */
export const WHISTLESTOP_ACTOR: Actor = { surface: "api", name: SYSTEM_ACTOR };

/** The idempotency key of the one automatic rollback of a failed deploy, recorded with its insert. */
export const autoRollbackKey = (failedId: string): string => `auto-rollback:${failedId}`;

/** Why a failed deploy gets no automatic rollback, or undefined when it gets one. */
export type NoAutoRollback = "not_failed" | "not_configured" | "before_deploy_stage" | "was_rollback" | "already_started" | "no_earlier_release" | "refused";

/**
 * on_failure: rollback, and verify's on_alarm: rollback (docs/configuration.md). A deploy that
 * failed in or after its deploy stage (an alarm fires only after all of them succeeded)
 * starts a rollback to the newest succeeded release with a different sha, as `whistlestop`,
 * through the same submission and decision as anyone's rollback. Safe to call any number of times
 * for one failure, from any replica: the insert's idempotency key makes it one rollback, and a
 * repeat only links the failed deploy to it again. Returns the rollback, or why there is none.
 */
export async function startAutoRollback(deps: CommandDeps, failedDeploy: Deploy): Promise<{ rollback: Deploy } | { none: NoAutoRollback; message?: string }> {
  const failed = (await deps.store.getDeploy(failedDeploy.id)) ?? failedDeploy;
  // A person's cancel ends the deploy `cancelled`, never `failed`: it gets no rollback here.
  if (failed.state !== "failed") return { none: "not_failed" };
  const target = resolveTarget(deps.config, failed.service, failed.env);
  if (!target || policyFor(failed, target.onFailure) !== "rollback") return { none: "not_configured" };
  // Any rollback, automatic ones included, is never rolled back automatically: no loops.
  if (failed.rollbackOf) return { none: "was_rollback" };
  if (!reachedStage(failed, target.deployStage)) return { none: "before_deploy_stage" };
  if (failed.autoRollbackId) {
    const existing = await deps.store.getDeploy(failed.autoRollbackId);
    return existing ? { rollback: existing } : { none: "already_started" };
  }
  const history = await deps.store.listSucceeded(failed.service, failed.env, HISTORY);
  const back = history.find((d) => d.sha !== failed.sha && (d.finishedAt ?? "") <= (failed.finishedAt ?? failed.requestedAt));
  if (!back) return { none: "no_earlier_release" };
  const stageTarget = target.rollback === "rollback-stage" ? back.executionId : undefined;
  if (target.rollback === "rollback-stage" && !stageTarget) return { none: "no_earlier_release", message: `deploy ${back.id} has no pipeline execution to roll back to` };
  const result = await submitDeploy(
    deps,
    {
      target,
      action: "rollback",
      sha: back.sha,
      ref: `automatic rollback to ${shortSha(back.sha)} (deploy ${back.id}) after deploy ${failed.id} failed`,
      force: false,
      yes: true,
      reason: `deploy ${failed.id} (${shortSha(failed.sha)}) failed${failed.reasonCode?.startsWith("alarm:") ? ` (${failed.reasonCode})` : ""}`,
      rollback: { of: failed.id, to: back.id, ...(stageTarget ? { targetExecutionId: stageTarget } : {}) },
      automaticRollbackOf: failed.id,
    },
    {
      actor: WHISTLESTOP_ACTOR,
      idempotencyKey: autoRollbackKey(failed.id),
      ...(failed.slackChannel ? { slackChannel: failed.slackChannel } : {}),
      ...(failed.githubRepo ? { githubRepo: failed.githubRepo } : {}),
      ...(failed.prNumber ? { prNumber: failed.prNumber } : {}),
    },
  );
  const rollback = "record" in result ? result.record : undefined;
  if (!rollback) return { none: "refused", message: "message" in result ? result.message : result.outcome };
  await deps.store.updateDeploy(failed.id, { autoRollbackId: rollback.id });
  // A repeat of the same failure (another replica, a restart) answers "done" for the rollback it
  // finds: only the call that made it writes the audit entry.
  if (result.outcome !== "done") await auditAutoRollback(deps, failed, rollback, result.outcome);
  return { rollback };
}

/** Whistlestop's own rollback is in the audit log like anyone's, on the rollback and naming the failure. */
function auditAutoRollback(deps: CommandDeps, failed: Deploy, rollback: Deploy, outcome: string): Promise<void> {
  const why = failed.reasonCode ? ` (${failed.reasonCode})` : "";
  const message = `Automatic rollback ${rollback.id} to ${shortSha(rollback.sha)} ${outcome}: deploy ${failed.id} (${shortSha(failed.sha)}, by ${failed.actor}) failed${why}.`;
  return appendSystemAudit(deps, rollback, "rollback", outcome, message, failed.reasonCode);
}

/**
 * A deploy failed by an alarm during its verification follows the on_alarm its verification
 * started with (verify in whistlestop.yml); any other failure follows on_failure.
 */
function policyFor(failed: Deploy, onFailure: OnFailure | undefined): OnFailure | undefined {
  return failed.reasonCode?.startsWith("alarm:") ? failed.verification?.onAlarm : onFailure;
}

/** Whether the deploy got as far as `deployStage` (its own failure, or a later stage's). */
function reachedStage(deploy: Deploy, deployStage: string): boolean {
  const index = deploy.stages.findIndex((s) => s.name === deployStage);
  return index >= 0 && deploy.stages.slice(index).some((s) => s.status !== "waiting" && s.status !== "skipped");
}

/**
 * Starts the automatic rollback of each failed deploy from the notification path: it runs after a
 * restart too (see NotificationQueue.onFailed), so a crash between a failure and its rollback
 * still ends with exactly one rollback. The failed deploy is shown again once it links to it.
 */
export function rollBackFailedDeploys(deps: CommandDeps, notifications: NotificationQueue): void {
  notifications.onFailed(async (failed) => {
    const outcome = await startAutoRollback(deps, failed);
    if ("rollback" in outcome) {
      deps.logger.warn({ deployId: failed.id, rollbackId: outcome.rollback.id }, "deploy failed; automatic rollback started");
      notifications.refresh(failed.id);
    } else if (outcome.none === "refused" || outcome.message) {
      deps.logger.error({ deployId: failed.id, reason: outcome.message }, "deploy failed and its automatic rollback could not start");
    }
  });
}
