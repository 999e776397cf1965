import type { Deploy } from "../../core/model/deploy.js";
import { ALL } from "../../core/model/lock.js";
import type { LockReminderMessage, WindowNoticeMessage } from "../../core/ports/reminder-sender.js";
import { formatMoment } from "../../core/policies/format-moment.js";
import { formatDuration } from "../../core/time/duration.js";
import { ACTION, encodeLockReminderValue } from "./action-ids.js";
import type { SlackMessage } from "./slack-api.js";
import { escapeMrkdwn, escapeMrkdwnWithin } from "./slack-text.js";

/** Released deploys listed one per line; more would make the message a wall. */
const MAX_LISTED = 20;

/** The direct message to a lock's owner, with Unlock and Extend 2h buttons that run the usual commands as the clicker. */
export function lockReminderMessage(message: LockReminderMessage, timezone: string): SlackMessage {
  const { lock, now } = message;
  const scope = lockScope(lock.service, lock.env);
  const since = formatMoment(new Date(lock.createdAt), timezone, now);
  const ends = lock.expiresAt ? `It ends at ${formatMoment(new Date(lock.expiresAt), timezone, now)}.` : "It lasts until someone unlocks it.";
  const reason = lock.reason ? ` (${lock.reason})` : "";
  const text =
    `⏰ Your lock on ${scope}${reason} has been held for ${formatDuration(message.heldMs)}, since ${since}. ` +
    `Others' deploys there are refused while it holds. ${ends} Still need it?`;
  return {
    text: escapeMrkdwn(text),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: escapeMrkdwnWithin(text, 2900) } },
      {
        type: "actions",
        block_id: `lock_reminder:${lock.service}:${lock.env}`,
        elements: [
          { type: "button", action_id: ACTION.lockUnlock, style: "danger", text: { type: "plain_text", text: "Unlock" }, value: encodeLockReminderValue(message.unlockCommand) },
          { type: "button", action_id: ACTION.lockExtend, text: { type: "plain_text", text: "Extend 2h" }, value: encodeLockReminderValue(message.extendCommand) },
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `Whistlestop reminds you every ${formatDuration(message.periodMs)} while the lock holds (\`lock_reminder\` in whistlestop.yml).` }] },
    ],
  };
}

/** What a window covers, in words: "prod of every service", "staging and prod of donations, events". */
function coverage(window: WindowNoticeMessage["window"]): string {
  const envs = window.environments.length === 0 ? "every environment" : window.environments.join(" and ");
  const services = window.services.length === 0 || window.services.includes("*") ? "every service" : window.services.join(", ");
  return `${envs} of ${services}`;
}

function releasedLine(deploy: Deploy, position: number): string {
  const what = deploy.rollbackOf ? "rollback" : "deploy";
  return `${position}. ${deploy.service}/${deploy.env} ${what} of \`${deploy.sha.slice(0, 7)}\` by ${deploy.actor}`;
}

/** One announcement of a window occurrence: coming in 30 minutes, started, or ended with what it releases. */
export function windowNoticeMessage(message: WindowNoticeMessage, timezone: string): SlackMessage {
  const { window, occurrence, now } = message;
  const name = `“${window.name}”${window.reason ? ` (${window.reason})` : ""}`;
  const start = formatMoment(occurrence.start, timezone, now);
  const end = formatMoment(occurrence.end, timezone, occurrence.start);
  let text: string;
  switch (message.kind) {
    case "window_soon":
      text =
        `⏳ Critical window ${name} starts at ${start}, in ${formatDuration(occurrence.start.getTime() - now.getTime())}, until ${end}. ` +
        `Deploys to ${coverage(window)} are refused while it is open; deploys already queued then wait for it to end.`;
      break;
    case "window_start":
      text = `⛔ Critical window ${name} has started: deploys to ${coverage(window)} are refused until ${formatMoment(occurrence.end, timezone, now)}.`;
      break;
    case "window_end": {
      const released = message.released;
      const list = released.slice(0, MAX_LISTED).map((d, i) => releasedLine(d, i + 1));
      if (released.length > MAX_LISTED) list.push(`… and ${released.length - MAX_LISTED} more`);
      text =
        `✅ Critical window ${name} has ended (${start} → ${end}): deploys to ${coverage(window)} are open again. ` +
        (released.length === 0 ? "No deploys were waiting for it." : `Starting the ${released.length === 1 ? "deploy" : `${released.length} deploys`} it held, in order:\n${list.join("\n")}`);
      break;
    }
  }
  return { text: escapeMrkdwnWithin(text, 3900) };
}

/** "donations/prod" or "all services in prod": a lock's scope for people. */
export function lockScope(service: string, env: string): string {
  if (service === ALL && env === ALL) return "everything";
  if (service === ALL) return `all services in ${env}`;
  if (env === ALL) return `${service} in all environments`;
  return `${service}/${env}`;
}
