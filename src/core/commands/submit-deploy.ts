import type { Target } from "../model/config.js";
import type { NewDeploy } from "../model/deploy.js";
import { actorKey } from "../model/actor.js";
import { decide } from "../policies/decide.js";
import type { Decision } from "../policies/decision.js";
import type { PolicyAction } from "../policies/policy-input.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, ConfirmationResult } from "./command-result.js";
import type { PendingCommand } from "./pending-command.js";
import { toDeployView, shortSha } from "./deploy-view.js";
import { awaitingApprovalMessage } from "./approval-results.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";

export interface Submission {
  readonly target: Target;
  readonly action: PolicyAction;
  readonly sha: string;
  readonly ref: string;
  readonly force: boolean;
  readonly yes: boolean;
  readonly reason?: string;
  /** For a rollback: the release rolled back, the one returned to, and for rollback-stage its execution. */
  readonly rollback?: { readonly of: string; readonly to: string; readonly targetExecutionId?: string };
  /** Whistlestop's own rollback of this failed deploy (on_failure: rollback): decided as such, never asks to confirm. */
  readonly automaticRollbackOf?: string;
}

/**
 * The path every deploy and rollback takes, whatever the surface: the decision (decide.ts), then
 * confirmation, then the queue. A deploy the decision lets through starts in the same write that
 * records it when nothing runs or waits there: it is not decided a second time.
 */
export async function submitDeploy(deps: CommandDeps, submission: Submission, context: RequestContext): Promise<CommandResult> {
  const { orchestrator } = deps;
  const { target, sha, action } = submission;
  const now = deps.clock.now();
  // A rollback-stage never starts the pipeline; anything else may, right after the policies.
  if (!submission.rollback?.targetExecutionId) void deps.pipeline.prepare(target.pipeline);
  const decision = await decideSubmission(deps, submission, context, now);
  const where = `${target.service}/${target.env}`;
  if (!decision.allowed) return refused(decision.reasonCode, decision.message);
  if (target.confirm && !submission.yes && !submission.automaticRollbackOf) return askToConfirm(submission);
  const forcedPast = decision.forcedPast ?? [];
  const deploy: NewDeploy = {
    id: deps.ids.newId(),
    service: target.service,
    env: target.env,
    sha,
    ref: submission.ref,
    actor: context.actor.name,
    ...(context.actor.login ? { actorLogin: context.actor.login } : {}),
    actorKey: actorKey(context.actor),
    surface: context.actor.surface,
    automatic: context.automatic ?? false,
    ...(submission.reason ? { reason: submission.reason } : {}),
    forced: forcedPast.length > 0,
    pipelineName: target.pipeline,
    requestedAt: now.toISOString(),
    ...(context.slackChannel ? { slackChannel: context.slackChannel } : {}),
    ...(context.githubRepo ? { githubRepo: context.githubRepo } : {}),
    ...(context.prNumber ? { prNumber: context.prNumber } : {}),
    ...(context.commandCommentId ? { commandCommentId: context.commandCommentId } : {}),
    ...(submission.rollback ? { rollbackOf: submission.rollback.of } : {}),
    ...(submission.rollback?.targetExecutionId ? { rollbackTargetExecutionId: submission.rollback.targetExecutionId } : {}),
    // Four eyes: passing the policies is not enough here; it waits for approvers (handle-approval.ts).
    ...(target.approvals ? { approval: { required: target.approvals.required, expiresAt: new Date(now.getTime() + target.approvals.expiresMs).toISOString() } } : {}),
  };
  const result = await orchestrator.enqueue(deploy, {
    decided: true,
    ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
    ...(context.automatic ? { supersedeAutomatic: { message: `superseded by a newer merge (${shortSha(sha)})`, at: now } } : {}),
  });
  if (result.kind === "duplicate") {
    const existing = result.deploy;
    return done(`Already received this request${existing ? `: deploy ${existing.id} is ${existing.state}` : ""}. Nothing new was started.`, existing ? { deploy: toDeployView(existing), record: existing } : {});
  }
  const stored = result.deploy;
  if (stored.state === "queued" && target.concurrency === "reject") {
    // Another request won the running slot between the policy check and the queue.
    await orchestrator.dropQueued(stored, `${where} is busy with another deploy`, "busy");
    return refused("busy", `${where} is busy with another deploy. Wait for it to finish or cancel it, then try again.`);
  }
  const forcedNote = forcedPast.length ? ` FORCED past: ${forcedPast.map((d) => d.reasonCode).join(", ")} (${submission.reason}).` : "";
  const view = toDeployView(stored, {
    ...(result.queuePosition ? { queuePosition: result.queuePosition } : {}),
    ...(stored.executionId ? { executionUrl: deps.pipeline.executionUrl(stored.pipelineName, stored.executionId) } : {}),
  });
  const what = `${action === "rollback" ? "Rollback" : "Deploy"} of ${where} at ${shortSha(sha)} (${submission.ref})`;
  if (stored.state === "awaiting_approval") {
    return { outcome: "waiting", message: `${awaitingApprovalMessage(deps, target, stored, what)}${forcedNote}`, deploy: view, record: stored };
  }
  if (stored.state === "queued" && stored.waitingReason) {
    return { outcome: "waiting", message: `${what} is waiting: ${stored.waitingReason}.${forcedNote}`, deploy: view, record: stored };
  }
  if (stored.state === "queued") {
    return { outcome: "queued", message: `${what} is queued at position ${result.queuePosition ?? "?"}; it starts by itself when the deploys ahead of it finish.${forcedNote}`, deploy: view, record: stored };
  }
  if (stored.state === "running") return { outcome: "started", message: `${what} started (deploy ${stored.id}).${forcedNote}`, deploy: view, record: stored };
  return done(`${what} ${stored.state}${stored.error ? `: ${stored.error}` : ""}.`, { deploy: view, record: stored });
}

/** The question, and the command exactly as decided, so a confirmation goes ahead with the same sha or release. */
function askToConfirm(submission: Submission): ConfirmationResult {
  const { target, sha, action, rollback, force, reason } = submission;
  const common = { service: target.service, env: target.env, force, ...(reason ? { reason } : {}) };
  const pending: PendingCommand = rollback
    ? { verb: "rollback", ...common, target: rollback.to, of: rollback.of }
    : { verb: "deploy", ...common, sha, ref: submission.ref };
  const question = `${target.service}/${target.env} asks for confirmation before ${action === "rollback" ? "a rollback" : "a deploy"} of ${shortSha(sha)}.`;
  return { outcome: "refused", reasonCode: "confirmation_required", message: `${question} Run it again with --yes to go ahead.`, question, pending };
}

/**
 * The decision on a submission right now, exactly as submitDeploy reaches it; stores nothing, so
 * `check` can ask it without deploying. Reads only what the policies use: the running deploy only
 * where `concurrency: reject` refuses on it, promotion only for a deploy to a promoting env.
 */
export async function decideSubmission(deps: CommandDeps, submission: Submission, context: RequestContext, now = deps.clock.now()): Promise<Decision> {
  const { store, config } = deps;
  const { target, sha, action } = submission;
  const [facts, locks, running, promoted] = await Promise.all([
    gatherPermissionFacts(deps, context.actor, target),
    store.listLocks(now),
    target.concurrency === "reject" ? store.getRunning(target.service, target.env) : Promise.resolve(undefined),
    target.promoteFrom && action === "deploy" ? store.hasSucceeded(target.service, target.promoteFrom, sha) : Promise.resolve(undefined),
  ]);
  return decide({
    now,
    config,
    target,
    action,
    actor: context.actor,
    ...facts,
    locks,
    sha,
    ...(promoted !== undefined ? { shaSucceededInPromoteFrom: promoted } : {}),
    ...(running ? { running } : {}),
    force: submission.force,
    ...(submission.reason ? { forceReason: submission.reason } : {}),
    ...(submission.automaticRollbackOf ? { automaticRollbackOf: submission.automaticRollbackOf } : {}),
  });
}
