import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Deploy } from "../../core/model/deploy.js";
import { resolveTarget } from "../../core/model/resolve-target.js";
import { approversText } from "../../core/policies/approver-policy.js";
import { formatMoment } from "../../core/policies/format-moment.js";

/** "needs 1 more approval from @hfa/sre by 15:04 EST; dana cannot approve their own deploy", for a card that awaits approval. */
export function approvalNote(config: WhistlestopConfig, deploy: Deploy, now: Date): string | undefined {
  if (deploy.state !== "awaiting_approval" || !deploy.approval) return undefined;
  const target = resolveTarget(config, deploy.service, deploy.env);
  const missing = Math.max(0, deploy.approval.required - deploy.approval.approvedBy.length);
  const from = target ? ` from ${approversText({ target, config })}` : "";
  const by = formatMoment(new Date(deploy.approval.expiresAt), config.timezone, now);
  return `needs ${missing} more approval${missing === 1 ? "" : "s"}${from} by ${by}; ${deploy.actor} cannot approve their own deploy`;
}
