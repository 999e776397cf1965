import type { Target } from "../model/config.js";
import type { NewDeploy } from "../model/deploy.js";
import type { Decision } from "../policies/decision.js";
import { evaluate } from "../policies/evaluate.js";
import type { PolicyAction } from "../policies/policy-input.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult } from "./command-result.js";
import { toDeployView, shortSha } from "./deploy-view.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import type { RequestContext } from "./request-context.js";
import { refused } from "./results.js";

export interface Submission {
  readonly target: Target;
  readonly action: PolicyAction;
  readonly sha: string;
  readonly ref: string;
  readonly force: boolean;
  readonly yes: boolean;
  readonly reason?: string;
  readonly rollbackOf?: string;
  readonly rollbackTargetExecutionId?: string;
}

/**
 * The path every deploy and rollback takes, whatever the surface: policies in their fixed order,
 * then confirmation, then the queue. Returns the decision as a CommandResult.
 */
export async function submitDeploy(deps: CommandDeps, submission: Submission, context: RequestContext): Promise<CommandResult> {
  const { orchestrator } = deps;
  const { target, sha, action } = submission;
  const now = deps.clock.now();
  // A rollback-stage never starts the pipeline; anything else may, right after the policies.
  if (!submission.rollbackTargetExecutionId) void deps.pipeline.prepare(target.pipeline);
  const decision = await decideSubmission(deps, submission, context, now);
  const where = `${target.service}/${target.env}`;
  if (!decision.allowed) return refused(decision.reasonCode, decision.message);
  if (target.confirm && !submission.yes) {
    return refused(
      "confirmation_required",
      `${where} asks for confirmation before ${action === "rollback" ? "a rollback" : "a deploy"} of ${shortSha(sha)}. Run it again with --yes to go ahead.`,
    );
  }
  const forcedPast = decision.forcedPast ?? [];
  const deploy: NewDeploy = {
    id: deps.ids.newId(),
    service: target.service,
    env: target.env,
    sha,
    ref: submission.ref,
    actor: context.actor.name,
    ...(context.actor.login ? { actorLogin: context.actor.login } : {}),
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
    ...(submission.rollbackOf ? { rollbackOf: submission.rollbackOf } : {}),
    ...(submission.rollbackTargetExecutionId ? { rollbackTargetExecutionId: submission.rollbackTargetExecutionId } : {}),
  };
  const result = await orchestrator.enqueue(deploy, {
    ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
    ...(context.automatic ? { supersedeAutomatic: { message: `superseded by a newer merge (${shortSha(sha)})`, at: now.toISOString() } } : {}),
  });
  if (result.kind === "duplicate") {
    const existing = result.deploy;
    return {
      outcome: "done",
      message: `Already received this request${existing ? `: deploy ${existing.id} is ${existing.state}` : ""}. Nothing new was started.`,
      ...(existing ? { deploy: toDeployView(existing), record: existing } : {}),
    };
  }
  const stored = result.deploy;
  if (stored.state === "queued" && target.concurrency === "reject") {
    // Another request won the running slot between the policy check and the queue.
    await orchestrator.dropQueued(stored, `${where} is busy with another deploy`);
    return refused("busy", `${where} is busy with another deploy. Wait for it to finish or cancel it, then try again.`);
  }
  const forcedNote = forcedPast.length ? ` FORCED past: ${forcedPast.map((d) => d.reasonCode).join(", ")} (${submission.reason}).` : "";
  const view = toDeployView(stored, {
    ...(result.queuePosition ? { queuePosition: result.queuePosition } : {}),
    ...(stored.executionId ? { executionUrl: deps.pipeline.executionUrl(stored.pipelineName, stored.executionId) } : {}),
  });
  const what = `${action === "rollback" ? "Rollback" : "Deploy"} of ${where} at ${shortSha(sha)} (${submission.ref})`;
  if (stored.state === "queued" && stored.waitingReason) {
    return { outcome: "waiting", message: `${what} is waiting: ${stored.waitingReason}.${forcedNote}`, deploy: view, record: stored };
  }
  if (stored.state === "queued") {
    return { outcome: "queued", message: `${what} is queued at position ${result.queuePosition ?? "?"}; it starts by itself when the deploys ahead of it finish.${forcedNote}`, deploy: view, record: stored };
  }
  if (stored.state === "running") return { outcome: "started", message: `${what} started (deploy ${stored.id}).${forcedNote}`, deploy: view, record: stored };
  return { outcome: "done", message: `${what} ${stored.state}${stored.error ? `: ${stored.error}` : ""}.`, deploy: view, record: stored };
}

/**
 * The policies' verdict on a submission right now, exactly as submitDeploy reaches it; stores
 * nothing, so `check` can ask it without deploying.
 */
export async function decideSubmission(deps: CommandDeps, submission: Submission, context: RequestContext, now = deps.clock.now()): Promise<Decision> {
  const { store, config } = deps;
  const { target, sha, action } = submission;
  const [facts, locks, running, queued, promoted] = await Promise.all([
    gatherPermissionFacts(deps, context.actor, target),
    store.listLocks(now),
    store.getRunning(target.service, target.env),
    store.countQueue(target.service, target.env),
    target.promoteFrom && action === "deploy" ? store.hasSucceeded(target.service, target.promoteFrom, sha) : Promise.resolve(undefined),
  ]);
  return evaluate({
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
    queueLength: queued,
    force: submission.force,
    ...(submission.reason ? { forceReason: submission.reason } : {}),
  });
}
