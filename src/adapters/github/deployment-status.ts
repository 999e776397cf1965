import { shortSha } from "../../core/commands/deploy-view.js";
import { approvalProgress } from "../../core/model/approval.js";
import { verificationLeft } from "../../core/model/verification-text.js";
import type { Deploy } from "../../core/model/deploy.js";
import type { DeployEvent } from "../../core/ports/notifier.js";
import { formatDuration } from "../../core/time/duration.js";
import type { DeploymentState } from "./github-api.js";

/** GitHub rejects status descriptions longer than this. */
export const MAX_DESCRIPTION = 140;

export function clip(text: string, max = MAX_DESCRIPTION): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export interface StatusUpdate {
  readonly state: DeploymentState;
  readonly description: string;
}

/**
 * The GitHub deployment status an event means: queued → in_progress → success | failure | error.
 * Progress within a run changes no status (the PR comment shows stages); a cancelled or
 * superseded deploy is an `error` whose description says why.
 */
export function deploymentStatusFor(event: DeployEvent): StatusUpdate | undefined {
  const d = event.deploy;
  switch (event.type) {
    case "awaiting_approval":
      return { state: "queued", description: clip(`Awaiting approval: ${d.approval ? approvalProgress(d.approval) : "asked"}`) };
    case "queued":
      return { state: "queued", description: clip(`Queued in Whistlestop${event.note ? `: ${event.note}` : ""}`) };
    case "waiting":
      return { state: "queued", description: clip(`Waiting: ${d.waitingReason ?? event.note ?? "for its turn"}`) };
    case "started":
      return { state: "in_progress", description: clip(`${d.rollbackOf ? "Rolling back to" : "Deploying"} ${shortSha(d.sha)} through ${d.pipelineName}`) };
    case "progress":
      return undefined;
    case "verifying":
      return { state: "in_progress", description: clip(`Pipeline succeeded; ${d.verification ? verificationLeft(d.verification, new Date(event.at)) : "verifying"} (alarms ${d.verification?.alarms.join(", ") ?? ""})`) };
    case "succeeded":
      return { state: "success", description: clip(`Deployed ${shortSha(d.sha)}${took(d)}${d.artifact ? ` (${d.artifact})` : ""}`) };
    case "failed":
      return { state: "failure", description: clip(`Failed: ${d.error ?? "the pipeline failed"}`) };
    case "cancelled":
      return { state: "error", description: clip(`Cancelled: ${d.error ?? event.note ?? "stopped before it finished"}`) };
    case "superseded":
      return { state: "error", description: clip(`Superseded: ${d.error ?? event.note ?? "a newer merge replaced it"}`) };
  }
}

function took(d: Deploy): string {
  if (!d.startedAt || !d.finishedAt) return "";
  const ms = Date.parse(d.finishedAt) - Date.parse(d.startedAt);
  return Number.isFinite(ms) ? ` in ${formatDuration(ms)}` : "";
}
