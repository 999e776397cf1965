import { createHash } from "node:crypto";
import { shortSha } from "../../core/commands/deploy-view.js";
import { approvalProgress } from "../../core/model/approval.js";
import type { Deploy } from "../../core/model/deploy.js";
import { firedAlarm } from "../../core/model/verification-text.js";
import { formatDuration } from "../../core/time/duration.js";
import type { DeployEvent } from "../../core/ports/notifier.js";
import { elapsedOf } from "./deploy-card.js";
import { escapeMrkdwn, mrkdwnLink, truncate } from "./slack-text.js";

/** A thread reply on a deploy's card; `key` makes it post once per deploy, across restarts. */
export interface Milestone {
  readonly key: string;
  readonly text: string;
  /** Also shown in the channel: forcing through a lock or window is announced loudly. */
  readonly broadcast?: boolean;
}

export interface MilestoneContext {
  readonly now: Date;
  readonly executionUrl?: string;
  /** Console URL of the action that failed, else the execution's. */
  readonly logUrl?: string;
  /** What a forced deploy went past ("🔒 alex's lock (debate prep)", "the Debate nights window"). */
  readonly forcedPast?: readonly string[];
  /** For a deploy awaiting approval: who may approve and by when. */
  readonly approvalNote?: string;
}

const short = (text: string): string => createHash("sha1").update(text).digest("hex").slice(0, 12);

/** The thread replies an event calls for: start, waits, force, and the ending. */
export function milestonesFor(event: DeployEvent, context: MilestoneContext): Milestone[] {
  const { deploy } = event;
  const replies: Milestone[] = [];
  const sha = `\`${shortSha(deploy.sha)}\``;
  const actor = escapeMrkdwn(deploy.actor);
  if (deploy.forced && ["awaiting_approval", "queued", "waiting", "started"].includes(event.type)) {
    const past = context.forcedPast?.length ? context.forcedPast.map(escapeMrkdwn).join(" and ") : "the locks and windows in force";
    replies.push({
      key: "forced",
      text: `⚠️ *FORCED* by ${actor} past ${past}. Reason: ${deploy.reason ? `_${escapeMrkdwn(truncate(deploy.reason, 500))}_` : "none given"}`,
      broadcast: true,
    });
  }
  switch (event.type) {
    case "awaiting_approval":
      // The first event asks; each later one is an approval that did not complete the request yet.
      if (event.note) replies.push({ key: `approval:${short(event.note)}`, text: `👍 ${escapeMrkdwn(capitalise(event.note))} (${deploy.approval ? approvalProgress(deploy.approval) : "counted"}).` });
      else replies.push({ key: "awaiting_approval", text: `🗳️ Waiting for approval${context.approvalNote ? `: ${escapeMrkdwn(context.approvalNote)}` : ""}. Approve or Reject on the card, or \`/deploy approve ${deploy.id}\`.` });
      break;
    case "queued":
      replies.push({ key: "queued", text: `⏳ Waiting in the queue${event.note ? ` — ${escapeMrkdwn(event.note)}` : ""}. It starts by itself when the deploys ahead of it finish.` });
      break;
    case "waiting": {
      const why = deploy.waitingReason ?? event.note ?? "waiting for a critical window to end";
      replies.push({ key: `waiting:${short(why)}`, text: `🕒 ${escapeMrkdwn(capitalise(why))}. It starts by itself when the window ends.` });
      break;
    }
    case "started": {
      const link = context.executionUrl ? ` — ${mrkdwnLink(context.executionUrl, "pipeline execution")}` : "";
      const what = deploy.rollbackOf ? `↩️ Rollback to ${sha} started` : `🚀 Deploy of ${sha} started`;
      replies.push({ key: "started", text: `${what} by ${actor}${link}` });
      break;
    }
    case "succeeded": {
      const artifact = deploy.artifact ? ` — artifact \`${escapeMrkdwn(deploy.artifact)}\`` : "";
      const what = deploy.rollbackOf ? `↩️ Rolled back: ${escapeMrkdwn(`${deploy.service}/${deploy.env}`)} is on ${sha} again` : `✅ ${sha} is live in ${escapeMrkdwn(deploy.env)}`;
      replies.push({ key: "succeeded", text: `${what} after ${elapsedOf(deploy, context.now)}${artifact}` });
      break;
    }
    case "failed": {
      const error = deploy.error ? `: ${escapeMrkdwn(truncate(deploy.error, 1500))}` : "";
      const log = context.logUrl ? ` — ${mrkdwnLink(context.logUrl, "logs")}` : "";
      const alarm = firedAlarm(deploy);
      const how = deploy.verification?.heldToEnd ? "was still in ALARM when it ended (since before this deploy)" : "went into ALARM";
      const why = alarm ? ` during verification: alarm ${escapeMrkdwn(alarm)} ${how} (\`${escapeMrkdwn(deploy.reasonCode ?? "")}\`)` : error;
      replies.push({ key: "failed", text: `❌ Failed after ${elapsedOf(deploy, context.now)}${why}${log}` });
      break;
    }
    case "cancelled":
      replies.push({ key: "cancelled", text: `⊘ Cancelled${reasonOf(deploy, event)}. Nothing more will run for this deploy.` });
      break;
    case "superseded":
      replies.push({ key: "superseded", text: `⏭ Superseded${reasonOf(deploy, event)}; the newer deploy takes its place.` });
      break;
    case "verifying": {
      const v = deploy.verification;
      const period = v ? formatDuration(Date.parse(v.endsAt) - Date.parse(v.startedAt)) : "a while";
      const then = v?.onAlarm === "rollback" ? "an alarm in ALARM fails it and rolls it back" : "an alarm in ALARM fails it";
      replies.push({ key: "verifying", text: `🔎 Pipeline succeeded. Watching ${escapeMrkdwn(v?.alarms.join(", ") ?? "its alarms")} for ${period}: ${then}.` });
      break;
    }
    case "progress":
      break;
  }
  // A problem reading the alarms (one that does not exist, a missing permission) is said once.
  const problem = deploy.verification?.problem;
  if (problem) replies.push({ key: `verify-problem:${short(problem.message)}`, text: `⚠️ ${escapeMrkdwn(truncate(problem.message, 1500))}` });
  return replies;
}

/** The reply on the card of the deploy a rollback undid. */
export function rolledBackReply(rollback: Deploy): Milestone {
  return {
    key: `rolled-back-by:${rollback.id}`,
    text: `↩️ Rolled back by ${escapeMrkdwn(rollback.actor)}: ${escapeMrkdwn(`${rollback.service}/${rollback.env}`)} is on \`${shortSha(rollback.sha)}\` again (deploy \`${rollback.id}\`).`,
  };
}

function reasonOf(deploy: Deploy, event: DeployEvent): string {
  const why = deploy.error ?? event.note;
  return why ? `: ${escapeMrkdwn(truncate(why, 500))}` : "";
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
