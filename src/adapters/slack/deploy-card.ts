import { STAGE_MARK } from "../../core/commands/stage-marks.js";
import { shortSha } from "../../core/commands/deploy-view.js";
import type { types } from "@slack/bolt";
import { approvalProgress } from "../../core/model/approval.js";
import { verificationLeft, verificationLines } from "../../core/model/verification-text.js";
import type { Deploy, StageProgress } from "../../core/model/deploy.js";
import { ACTION } from "./action-ids.js";
import { changeSetSection } from "./change-set-section.js";
import type { SlackBlock, SlackMessage } from "./slack-api.js";
import { escapeMrkdwn, mrkdwnLink, truncate } from "./slack-text.js";

export interface CardLinks {
  readonly commitUrl?: string;
  readonly executionUrl?: string;
  readonly prUrl?: string;
  /** The service's repository on GitHub: its PRs are linked from the change set. */
  readonly repoUrl?: string;
}

export interface CardInput {
  readonly deploy: Deploy;
  readonly now: Date;
  readonly links: CardLinks;
  /** Stage names from the config, shown as ○ before the pipeline reports its own. */
  readonly plannedStages?: readonly string[];
  /** Extra state text, e.g. "position 2 in the queue". */
  readonly note?: string;
  /** For a deploy awaiting approval: who may approve and until when ("from @hfa/sre, until 15:04 EST"). */
  readonly approvalNote?: string;
}


/** `✓ Source  ✓ Bake  ● Deploy  ○ Verify` */
export function stageLine(stages: readonly StageProgress[], planned: readonly string[] = []): string {
  const shown = stages.length ? stages : planned.map((name) => ({ name, status: "waiting" as const }));
  return shown.map((s) => `${STAGE_MARK[s.status]} ${s.name}`).join("  ");
}

/** 45s, 2m 05s, 1h 03m */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

export function elapsedOf(deploy: Deploy, now: Date): string {
  const from = Date.parse(deploy.startedAt ?? deploy.requestedAt);
  const to = deploy.finishedAt ? Date.parse(deploy.finishedAt) : now.getTime();
  return Number.isFinite(from) && Number.isFinite(to) ? formatElapsed(to - from) : "—";
}

export function stateText(deploy: Deploy, note?: string, now = new Date()): string {
  switch (deploy.state) {
    case "awaiting_approval":
      return `🗳️ Awaiting approval: ${deploy.approval ? approvalProgress(deploy.approval) : "asked"}`;
    case "queued":
      return deploy.waitingReason ? `🕒 Waiting: ${deploy.waitingReason}` : `⏳ Queued${note ? ` (${note})` : ""}`;
    case "running":
      return "🚀 Running";
    case "verifying":
      return `🔎 ${deploy.verification ? capitalise(verificationLeft(deploy.verification, now)) : "Verifying"}`;
    case "succeeded":
      return "✅ Succeeded";
    case "failed":
      return "❌ Failed";
    case "cancelled":
      return "⊘ Cancelled";
  }
}

export const cardTitle = (deploy: Deploy): string => `${deploy.service} → ${deploy.env}${deploy.rollbackOf ? " · rollback" : ""}`;

/** The one message per deploy, edited in place at every change. */
export function renderDeployCard(input: CardInput): SlackMessage {
  const { deploy, links } = input;
  const sha = shortSha(deploy.sha);
  const commit = links.commitUrl ? mrkdwnLink(links.commitUrl, sha) : `\`${sha}\``;
  const ref = deploy.ref && !deploy.sha.startsWith(deploy.ref.toLowerCase()) ? ` ${escapeMrkdwn(truncate(deploy.ref, 80))}` : "";
  const state = stateText(deploy, input.note, input.now);
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(cardTitle(deploy), 150), emoji: true } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Commit*\n${commit}${ref}` },
        { type: "mrkdwn", text: `*Actor*\n${escapeMrkdwn(deploy.actor)}` },
        { type: "mrkdwn", text: `*State*\n${escapeMrkdwn(truncate(state, 300))}` },
        { type: "mrkdwn", text: `*Elapsed*\n${elapsedOf(deploy, input.now)}` },
      ],
    },
  ];
  const stages = stageLine(deploy.stages, input.plannedStages);
  if (stages) blocks.push({ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(stages) } });
  if (deploy.changeSet) blocks.push(changeSetSection(deploy.changeSet, links.repoUrl));
  const notes = [...noteLines(deploy, input.approvalNote), ...verificationLines(deploy, input.now).map((line) => escapeMrkdwn(truncate(line, 600)))];
  if (notes.length) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(notes.join("\n"), 2900) } });
  const linkParts = [
    links.executionUrl ? mrkdwnLink(links.executionUrl, "Pipeline execution") : undefined,
    links.prUrl && deploy.prNumber ? mrkdwnLink(links.prUrl, `PR #${deploy.prNumber}`) : undefined,
    `deploy \`${deploy.id}\``,
  ].filter((p): p is string => p !== undefined);
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: linkParts.join("  ·  ") }] });
  const buttons = buttonsFor(deploy);
  if (buttons.length) blocks.push({ type: "actions", block_id: `deploy:${deploy.id}`, elements: buttons });
  return { text: `${cardTitle(deploy)}: ${deploy.state} · ${sha} by ${deploy.actor}`, blocks };
}

function noteLines(deploy: Deploy, approvalNote?: string): string[] {
  const lines: string[] = [];
  if (deploy.state === "awaiting_approval" && approvalNote) lines.push(`🗳️ ${escapeMrkdwn(truncate(approvalNote, 500))}`);
  if (deploy.approval?.approvedBy.length && deploy.state !== "awaiting_approval") lines.push(`Approved by ${escapeMrkdwn(truncate(deploy.approval.approvedBy.join(", "), 300))}`);
  if (deploy.forced) lines.push(`⚠️ *Forced* past a lock or window${deploy.reason ? `: ${escapeMrkdwn(truncate(deploy.reason, 300))}` : ""}`);
  else if (deploy.reason) lines.push(`Reason: ${escapeMrkdwn(truncate(deploy.reason, 300))}`);
  if (deploy.state === "failed" && deploy.error) lines.push(`*Error:* ${escapeMrkdwn(truncate(deploy.error, 1500))}`);
  if (deploy.state === "cancelled" && deploy.error) lines.push(escapeMrkdwn(truncate(deploy.error, 500)));
  if (deploy.state === "succeeded" && deploy.artifact) lines.push(`Artifact: \`${escapeMrkdwn(deploy.artifact)}\``);
  return lines;
}

/**
 * Cancel while it can still be stopped; Roll back once it is live; Approve and Reject while it
 * awaits approval. Every button asks again in Slack's own dialog (people fat-finger buttons on
 * phones) and carries the deploy id as its value.
 */
function buttonsFor(deploy: Deploy): types.Button[] {
  const where = escapeMrkdwn(`${deploy.service}/${deploy.env}`);
  const sha = `\`${shortSha(deploy.sha)}\``;
  switch (deploy.state) {
    case "awaiting_approval": {
      const what = `${sha} to ${where}, requested by ${escapeMrkdwn(deploy.actor)}`;
      return [
        button(deploy, ACTION.approve, "Approve", "primary", { title: "Approve this deploy?", text: `Ship ${what}.`, deny: "Not yet" }),
        button(deploy, ACTION.reject, "Reject", "danger", { title: "Reject this deploy?", text: `Cancel the deploy of ${what}.`, deny: "Keep it" }),
      ];
    }
    case "queued":
    case "running":
      return [button(deploy, ACTION.cancelDeploy, "Cancel deploy", "danger", { title: "Cancel this deploy?", text: `Stop the deploy of ${sha} to ${where}.`, deny: "Keep it" })];
    case "verifying":
      return [button(deploy, ACTION.cancelDeploy, "Stop verifying", undefined, { title: "Stop verifying?", text: `Stop watching the alarms of ${sha} in ${where}: it counts as succeeded, unverified.`, deny: "Keep watching" })];
    case "succeeded":
      return [button(deploy, ACTION.rollback, "Roll back", undefined, { title: "Roll back?", text: `Put ${where} back on the release before ${sha}.`, deny: "Keep it" })];
    default:
      return [];
  }
}

interface Confirmation {
  readonly title: string;
  /** mrkdwn. */
  readonly text: string;
  readonly deny: string;
}

function button(deploy: Deploy, actionId: string, label: string, style: "primary" | "danger" | undefined, confirm: Confirmation): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: label },
    ...(style ? { style } : {}),
    value: deploy.id,
    confirm: {
      title: { type: "plain_text", text: confirm.title },
      text: { type: "mrkdwn", text: confirm.text },
      confirm: { type: "plain_text", text: label },
      deny: { type: "plain_text", text: confirm.deny },
    },
  };
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
