import type { Actor } from "../model/actor.js";
import type { Target } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { approversText } from "../policies/approver-policy.js";
import { formatMoment } from "../policies/format-moment.js";
import type { CommandDeps } from "./command-deps.js";
import type { CommandResult, RefusedResult } from "./command-result.js";
import { shortSha, toDeployView } from "./deploy-view.js";
import { refused } from "./results.js";

/** What the requester is told when their deploy waits for approvals. */
export function awaitingApprovalMessage(deps: Pick<CommandDeps, "config" | "clock">, target: Target, deploy: Deploy, what: string): string {
  const approval = deploy.approval!;
  const until = formatMoment(new Date(approval.expiresAt), deps.config.timezone, deps.clock.now());
  const count = `${approval.required} approval${approval.required === 1 ? "" : "s"}`;
  return (
    `${what} awaits approval (deploy ${deploy.id}): it needs ${count} from ${approversText({ target, config: deps.config })} by ${until}, ` +
    `and starts once it has them. Approvers: \`approve ${deploy.id}\` (you cannot approve your own deploy); \`reject ${deploy.id}\` withdraws it.`
  );
}

/** Why a deploy cannot be approved or rejected any more (or never could). */
export function notAwaitingMessage(deploy: Deploy, verb: "approved" | "rejected"): string {
  const what = `Deploy ${deploy.id} of ${deploy.service}/${deploy.env}`;
  if (!deploy.approval) return `${what} does not await approval (it is ${deploy.state}); nothing was ${verb}.`;
  const approvals = deploy.approval.approvedBy.length ? ` (approved by ${deploy.approval.approvedBy.join(", ")})` : "";
  const why = deploy.state === "cancelled" && deploy.error ? `: ${deploy.error}` : "";
  return `${what} no longer awaits approval: it is ${deploy.state}${approvals}${why}. Nothing was ${verb}.`;
}

/** A request past its time: lapsed now if the sweep has not done it yet, and refused with approval_expired. */
export async function expiredResult(deps: CommandDeps, deploy: Deploy): Promise<RefusedResult> {
  const lapsed = (await deps.orchestrator.expireApproval(deploy)) ?? (await deps.store.getDeploy(deploy.id)) ?? deploy;
  const why = lapsed.reasonCode === "approval_expired" && lapsed.error ? lapsed.error : "its approval request expired";
  return refused("approval_expired", `Deploy ${deploy.id} of ${deploy.service}/${deploy.env} was not deployed: ${why}. Ask for it again.`);
}

/**
 * The approver's answer once their approval completed the request and the deploy was decided at
 * its turn: started, queued, waiting for a window — or dropped, with the reason code that dropped it.
 */
export async function admittedResult(deps: CommandDeps, target: Target, deploy: Deploy, approver: Actor): Promise<CommandResult> {
  const where = `${deploy.service}/${deploy.env}`;
  const what = `Approved by ${completedBy(approver, deploy)}: deploy ${deploy.id} of ${where} at ${shortSha(deploy.sha)}`;
  if (deploy.state === "queued" && !deploy.waitingReason && target.concurrency === "reject") {
    // Another deploy holds the slot, and this target never queues: as at request time, busy.
    const message = `${where} is busy with another deploy, and it does not queue`;
    await deps.orchestrator.dropQueued(deploy, message, "busy");
    return refused("busy", `${what} could not start: ${message}. Ask for it again when it is free.`);
  }
  const executionUrl = deploy.executionId ? deps.pipeline.executionUrl(deploy.pipelineName, deploy.executionId) : undefined;
  const position = deploy.state === "queued" ? await deps.store.queuePosition(deploy.id) : 0;
  const view = toDeployView(deploy, { ...(position ? { queuePosition: position } : {}), ...(executionUrl ? { executionUrl } : {}) });
  switch (deploy.state) {
    case "running":
      return { outcome: "started", message: `${what} started.`, deploy: view, record: deploy };
    case "queued":
      return deploy.waitingReason
        ? { outcome: "waiting", message: `${what} is waiting: ${deploy.waitingReason}.`, deploy: view, record: deploy }
        : { outcome: "queued", message: `${what} is queued at position ${position}; it starts by itself when the deploys ahead of it finish.`, deploy: view, record: deploy };
    case "cancelled":
      // Dropped at its turn carries the code that dropped it; cancelled by someone meanwhile has none.
      return refused(deploy.reasonCode && deploy.reasonCode !== "confirmation_required" ? deploy.reasonCode : "not_found", `${what} was decided again and did not go: ${deploy.error ?? "cancelled"}.`);
    default:
      return { outcome: "done", message: `${what} is ${deploy.state}.`, deploy: view, record: deploy };
  }
}

/** "rita (1 of 1 approval)", "rita (2 of 2 approvals, with alex-sre)": the approver is named once, the others after. */
function completedBy(approver: Actor, deploy: Deploy): string {
  const name = approver.login ?? approver.name;
  if (!deploy.approval) return name;
  const { required, approvedBy } = deploy.approval;
  const others = approvedBy.filter((login) => login !== name);
  return `${name} (${approvedBy.length} of ${required} approval${required === 1 ? "" : "s"}${others.length ? `, with ${others.join(", ")}` : ""})`;
}
