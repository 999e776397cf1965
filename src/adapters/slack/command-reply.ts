import type { CommandResult } from "../../core/commands/command-result.js";
import type { Actor } from "../../core/model/actor.js";
import { ACTION, encodeConfirmValue, type ConfirmValue } from "./action-ids.js";
import type { SlackReply } from "./slack-api.js";
import { unmappedHint } from "./slack-actor.js";
import { escapeMrkdwn, truncate } from "./slack-text.js";

/** Slack caps a message's text at 40,000 characters; replies stay far below. */
const MAX_TEXT = 12_000;
/** Slack rejects a message whose button value is longer. */
const MAX_BUTTON_VALUE = 2000;

export interface ReplyOptions {
  readonly actor: Actor;
  /** For a confirmation prompt: what the Confirm button runs again with --yes. */
  readonly confirm?: ConfirmValue;
}

/**
 * How Slack answers a command's result. A deploy that was accepted is answered by its card in
 * the channel, so it needs no reply; refusals and information are ephemeral (only the actor sees
 * them); a lock taken or lifted is announced in the channel; confirmation becomes two buttons.
 */
export function replyForResult(result: CommandResult, options: ReplyOptions): SlackReply | undefined {
  if (result.ignored) return undefined;
  if (result.results?.length) return withHint(ephemeral(result.results.map((r) => lineFor(r)).join("\n")), options.actor);
  if (["started", "queued", "waiting"].includes(result.outcome) && result.record) return undefined;
  if (result.outcome === "refused" && result.reasonCode === "confirmation_required" && options.confirm) return confirmationPrompt(result, options.confirm);
  if (result.outcome === "refused") return withHint(ephemeral(`${lineFor(result)}\n_reason: \`${result.reasonCode ?? "refused"}\`_`), options.actor);
  // Lock and unlock answer with the lock alone; `deploys` lists locks next to its deploys.
  if (result.outcome === "done" && result.locks && !result.deploys) {
    return { responseType: "in_channel", text: escapeMrkdwn(truncate(result.message, MAX_TEXT)) };
  }
  return withHint(ephemeral(escapeMrkdwn(truncate(result.message || "Done.", MAX_TEXT))), options.actor);
}

/** The answer that replaces a Confirm/Cancel prompt once Confirm was clicked. */
export function confirmedText(result: CommandResult, clicker: Actor): string {
  if (result.outcome === "refused") return lineFor(result);
  return `✅ Confirmed by ${escapeMrkdwn(clicker.name)}: ${escapeMrkdwn(truncate(result.message, MAX_TEXT))}`;
}

function lineFor(result: CommandResult): string {
  const mark = result.outcome === "refused" ? "🚫 " : "";
  return `${mark}${escapeMrkdwn(truncate(result.message, MAX_TEXT))}`;
}

function ephemeral(text: string): SlackReply {
  return { responseType: "ephemeral", text };
}

/** Everyone must learn how to get mapped, whatever they typed; once per reply, and not twice. */
function withHint(reply: SlackReply, actor: Actor): SlackReply {
  if (actor.login || !actor.slackUserId || reply.text.includes("people:")) return reply;
  return { ...reply, text: `${reply.text}\n${unmappedHint(actor.slackUserId)}` };
}

function confirmationPrompt(result: CommandResult, confirm: ConfirmValue): SlackReply {
  const question = result.message.replace(/\s*Run it again with --yes to go ahead\.?/i, "");
  const value = encodeConfirmValue(confirm);
  // A very long command (a reason of a page) cannot ride on a button; the flag still works.
  if (value.length > MAX_BUTTON_VALUE) return { responseType: "ephemeral", text: `⚠️ ${escapeMrkdwn(truncate(result.message, MAX_TEXT))}` };
  return {
    responseType: "ephemeral",
    text: `${escapeMrkdwn(question)} Confirm or cancel.`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `⚠️ ${escapeMrkdwn(truncate(question, 2800))}` } },
      {
        type: "actions",
        block_id: `confirm:${confirm.nonce}`,
        elements: [
          { type: "button", action_id: ACTION.confirm, style: "primary", text: { type: "plain_text", text: "Confirm" }, value },
          { type: "button", action_id: ACTION.dismiss, text: { type: "plain_text", text: "Cancel" }, value },
        ],
      },
    ],
  };
}
