import type { WhistlestopConfig } from "../model/config.js";
import type { Deploy } from "../model/deploy.js";
import { formatMoment } from "../policies/format-moment.js";
import type { Store } from "../ports/store.js";
import type { NotificationQueue } from "./notification-queue.js";
import { auditSystemDecision, type SystemAuditDeps } from "./system-audit.js";

export interface ApprovalExpiryDeps extends SystemAuditDeps {
  readonly store: Pick<Store, "appendAudit" | "updateDeploy" | "listDeploys">;
  readonly notifications: Pick<NotificationQueue, "send">;
  readonly config: Pick<WhistlestopConfig, "timezone">;
}

/** How many waiting requests one sweep looks at; the rest wait for the next sweep. */
const SWEEP_LIMIT = 500;

/** The requests past their expiry at `now`, from those awaiting approval: what a sweep has to do. */
export function dueForExpiry(awaiting: readonly Deploy[], now: Date): Deploy[] {
  return awaiting.filter((d) => d.state === "awaiting_approval" && d.approval && Date.parse(d.approval.expiresAt) <= now.getTime());
}

/** "no approval came before 15:04 EST (1 of 2 approvals)": what the card and the reply say. */
export function expiryMessage(deploy: Deploy, timezone: string): string {
  const at = deploy.approval ? formatMoment(new Date(deploy.approval.expiresAt), timezone) : "its expiry";
  const had = deploy.approval ? ` (${deploy.approval.approvedBy.length} of ${deploy.approval.required} approvals)` : "";
  return `approval request expired: not enough approvals came before ${at}${had}`;
}

/**
 * Lapse one request: cancelled with approval_expired by compare-and-set, so when replicas (or a
 * late click and the sweep) race, one of them cancels it, reports it and audits it. Returns the
 * cancelled deploy, or undefined when it had left awaiting_approval already.
 */
export async function expireApproval(deps: ApprovalExpiryDeps, deploy: Deploy): Promise<Deploy | undefined> {
  const message = expiryMessage(deploy, deps.config.timezone);
  const finishedAt = deps.clock.now().toISOString();
  const expired = await deps.store.updateDeploy(deploy.id, { state: "cancelled", error: message, reasonCode: "approval_expired", finishedAt }, "awaiting_approval");
  if (!expired) return undefined;
  deps.notifications.send("cancelled", expired, message);
  await auditSystemDecision(deps, expired, "expire", "expired", message, "approval_expired");
  return expired;
}

/** Every replica's sweep: lapse the requests whose time is up. Safe to run anywhere at once. */
export async function expireDueApprovals(deps: ApprovalExpiryDeps): Promise<number> {
  const awaiting = await deps.store.listDeploys({ states: ["awaiting_approval"], limit: SWEEP_LIMIT });
  let expired = 0;
  for (const deploy of dueForExpiry(awaiting, deps.clock.now())) if (await expireApproval(deps, deploy)) expired++;
  return expired;
}
