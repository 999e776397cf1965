import { actorKey } from "../model/actor.js";
import { approvalProgress } from "../model/approval.js";
import type { Target } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { resolveTarget } from "../model/resolve-target.js";
import { approverPolicy, isRequester } from "../policies/approver-policy.js";
import type { ApproveCommand, RejectCommand } from "./command.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, RefusedResult } from "./command-result.js";
import { shortSha, toDeployView } from "./deploy-view.js";
import { gatherPermissionFacts } from "./gather-permission-facts.js";
import { admittedResult, expiredResult, notAwaitingMessage } from "./approval-results.js";
import type { RequestContext } from "./request-context.js";
import { done, refused } from "./results.js";

interface Pending {
  readonly deploy: Deploy;
  readonly target: Target;
}

/**
 * `approve <deploy-id>` (docs/commands.md, Approvals): the approver rules, then one vote in the
 * store. The vote that completes the request moves the deploy to the queue, and it is decided there
 * at once as at its turn (a lock taken meanwhile drops it, a window makes it wait); the approver is
 * told what happened, with the reason code when it did not go.
 */
export async function handleApprove(deps: CommandDeps, command: ApproveCommand, context: RequestContext): Promise<CommandResult> {
  const pending = await pendingRequest(deps, command.id, "approved");
  if ("outcome" in pending) return pending;
  const { deploy, target } = pending;
  const { actor } = context;
  const facts = await gatherPermissionFacts(deps, actor, target, target.approvals?.from ?? []);
  const decision = approverPolicy({ config: deps.config, target, actor, ...facts, deploy });
  if (!decision.allowed) return refused(decision.reasonCode, decision.message);
  const vote = await deps.store.recordVote({ deployId: deploy.id, approverKey: actorKey(actor), approver: actor.login ?? actor.name, verdict: "approved", at: deps.clock.now().toISOString() });
  const what = `deploy ${deploy.id} of ${deploy.service}/${deploy.env} at ${shortSha(deploy.sha)}`;
  switch (vote.kind) {
    case "not_awaiting":
      return refused("not_found", notAwaitingMessage(vote.deploy ?? deploy, "approved"));
    case "expired":
      return expiredResult(deps, vote.deploy);
    case "duplicate":
      return done(`You already approved ${what}; it has ${progressOf(vote.deploy)} and needs ${missing(vote.deploy)} more.`, withDeploy(vote.deploy));
    case "counted":
      deps.orchestrator.report("awaiting_approval", vote.deploy, `approved by ${actor.login ?? actor.name}`);
      return done(`Approved ${what}: it has ${progressOf(vote.deploy)} and needs ${missing(vote.deploy)} more.`, withDeploy(vote.deploy));
    case "rejected":
      return done(`Deploy ${deploy.id} was rejected.`, withDeploy(vote.deploy));
    case "approved":
      return admittedResult(deps, target, await deps.orchestrator.admit(vote.deploy), actor);
  }
}

/**
 * `reject <deploy-id> [--reason "…"]`: an approver says no, or the requester withdraws the request.
 * The deploy is cancelled with who and why, and never runs.
 */
export async function handleReject(deps: CommandDeps, command: RejectCommand, context: RequestContext): Promise<CommandResult> {
  const pending = await pendingRequest(deps, command.id, "rejected");
  if ("outcome" in pending) return pending;
  const { deploy, target } = pending;
  const { actor } = context;
  if (!isRequester(deploy, actor)) {
    const facts = await gatherPermissionFacts(deps, actor, target, target.approvals?.from ?? []);
    const decision = approverPolicy({ config: deps.config, target, actor, ...facts, deploy });
    if (!decision.allowed) return refused(decision.reasonCode, decision.message.replace(/may not approve/, "may not reject"));
  }
  const vote = await deps.store.recordVote({
    deployId: deploy.id,
    approverKey: actorKey(actor),
    approver: actor.login ?? actor.name,
    verdict: "rejected",
    ...(command.reason ? { reason: command.reason } : {}),
    at: deps.clock.now().toISOString(),
  });
  if (vote.kind === "expired") return expiredResult(deps, vote.deploy);
  if (vote.kind !== "rejected") return refused("not_found", notAwaitingMessage(vote.deploy ?? deploy, "rejected"));
  deps.orchestrator.report("cancelled", vote.deploy, vote.deploy.error);
  const withdrawn = isRequester(deploy, actor) ? "Withdrew" : "Rejected";
  return done(`${withdrawn} deploy ${deploy.id} of ${deploy.service}/${deploy.env} at ${shortSha(deploy.sha)}${command.reason ? ` (${command.reason})` : ""}; it will not run.`, withDeploy(vote.deploy));
}

/** The deploy, while it still awaits approval and has not expired; otherwise the refusal that says why. */
async function pendingRequest(deps: CommandDeps, id: string, verb: "approved" | "rejected"): Promise<Pending | RefusedResult> {
  const deploy = await deps.store.getDeploy(id);
  if (!deploy) return refused("not_found", `There is no deploy ${id}, so nothing was ${verb}. The deploy id is on its card and in \`deploys\`.`);
  const target = resolveTarget(deps.config, deploy.service, deploy.env);
  if (!target) return refused("unknown_service", `${deploy.service}/${deploy.env} is no longer in whistlestop.yml; deploy ${id} cannot be ${verb}.`);
  // A late click on a request that lapsed is told it expired, not merely that nothing waits.
  if (deploy.reasonCode === "approval_expired") return expiredResult(deps, deploy);
  if (deploy.state !== "awaiting_approval") return refused("not_found", notAwaitingMessage(deploy, verb));
  if (deploy.approval && Date.parse(deploy.approval.expiresAt) <= deps.clock.now().getTime()) return expiredResult(deps, deploy);
  return { deploy, target };
}

const progressOf = (deploy: Deploy): string => (deploy.approval ? approvalProgress(deploy.approval) : "no approvals");
const missing = (deploy: Deploy): number => (deploy.approval ? Math.max(0, deploy.approval.required - deploy.approval.approvedBy.length) : 0);
const withDeploy = (deploy: Deploy) => ({ deploy: toDeployView(deploy), record: deploy });
