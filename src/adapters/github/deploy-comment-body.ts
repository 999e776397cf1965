import { approvalProgress } from "../../core/model/approval.js";
import { verificationLeft, verificationLines } from "../../core/model/verification-text.js";
import { STAGE_MARK } from "../../core/commands/stage-marks.js";
import { shortSha } from "../../core/commands/deploy-view.js";
import type { Deploy, StageProgress } from "../../core/model/deploy.js";
import type { DeployEvent } from "../../core/ports/notifier.js";
import { formatDuration } from "../../core/time/duration.js";
import { changeSetMarkdown } from "./change-set-markdown.js";


/** Hidden in the rendered comment; lets people (and Whistlestop) find the comment of a deploy. */
export const commentMarker = (deployId: string): string => `<!-- whistlestop:deploy:${deployId} -->`;

export interface CommentFacts {
  readonly event: DeployEvent;
  /** Console URL of the pipeline execution, once there is one. */
  readonly executionUrl?: string;
  readonly environmentUrl?: string;
}

function headline(event: DeployEvent): string {
  const d = event.deploy;
  const what = d.rollbackOf ? `Rollback of ${d.service} in ${d.env}` : `Deploy of ${d.service} to ${d.env}`;
  switch (d.state) {
    case "awaiting_approval":
      return `🗳️ ${what} awaits approval`;
    case "queued":
      return d.waitingReason ? `⏸️ ${what} is waiting` : `⏳ ${what} is queued`;
    case "running":
      return `🚀 ${what} is running`;
    case "verifying":
      return `🔎 ${what} is ${d.verification ? verificationLeft(d.verification, new Date(event.at)) : "verifying"}`;
    case "succeeded":
      return `✅ ${what} succeeded`;
    case "failed":
      return `❌ ${what} failed`;
    case "cancelled":
      return event.type === "superseded" ? `⏭️ ${what} was superseded` : `🚫 ${what} was cancelled`;
  }
}

/** "✓ Source → ● Bake → ○ Deploy → ○ Verify" */
export function stageLine(stages: readonly StageProgress[]): string {
  return stages.map((s) => `${STAGE_MARK[s.status]} ${s.name}`).join(" → ");
}

function elapsed(deploy: Deploy, at: string): string | undefined {
  if (!deploy.startedAt) return undefined;
  const end = Date.parse(deploy.finishedAt ?? at);
  const ms = end - Date.parse(deploy.startedAt);
  return Number.isFinite(ms) ? formatDuration(ms) : undefined;
}

function detail(event: DeployEvent): string | undefined {
  const d = event.deploy;
  if (d.state === "queued") return d.waitingReason ?? event.note;
  if (d.state === "awaiting_approval" && d.approval) {
    return `${approvalProgress(d.approval)}; approvers comment \`/approve ${d.id}\` or \`/reject ${d.id}\`.`;
  }
  if (d.state === "failed" || d.state === "cancelled") return d.error ?? event.note;
  if (d.state === "succeeded" && d.artifact) return `Artifact: \`${d.artifact}\``;
  return undefined;
}

/**
 * The one bot comment a deploy keeps on its pull request, edited in place: what, who, the
 * stage-by-stage progress, time, and links.
 */
export function deployCommentBody({ event, executionUrl, environmentUrl }: CommentFacts): string {
  const d = event.deploy;
  const who = d.automatic ? `merged by @${d.actorLogin ?? d.actor}` : `requested by ${d.actorLogin ? `@${d.actorLogin}` : d.actor} via ${d.surface}`;
  const ref = d.ref && d.ref !== d.sha ? ` (${d.ref})` : "";
  const lines = [commentMarker(d.id), `### ${headline(event)}`, "", `Commit ${shortSha(d.sha)}${ref}, ${who} · deploy \`${d.id}\``];
  if (d.forced) lines.push(`**Forced** past the usual checks${d.reason ? `: ${d.reason}` : ""}.`);
  if (d.approval?.approvedBy.length && d.state !== "awaiting_approval") lines.push(`Approved by ${d.approval.approvedBy.join(", ")}.`);
  if (d.stages.length) lines.push("", stageLine(d.stages));
  if (d.changeSet) lines.push("", ...changeSetMarkdown(d.changeSet));
  const extra = detail(event);
  if (extra) lines.push("", `> ${extra.replace(/\n/g, "\n> ")}`);
  const verification = verificationLines(d, new Date(event.at));
  if (verification.length) lines.push("", ...verification.map((line) => `> ${line}`));
  const facts = [
    elapsed(d, event.at) ? `⏱️ ${elapsed(d, event.at)}` : undefined,
    executionUrl ? `[pipeline execution](${executionUrl})` : undefined,
    d.state === "succeeded" && environmentUrl ? `[${environmentUrl}](${environmentUrl})` : undefined,
  ].filter((f): f is string => f !== undefined);
  if (facts.length) lines.push("", facts.join(" · "));
  return lines.join("\n");
}
