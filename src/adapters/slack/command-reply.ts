import type { CommandResult, ConfirmationResult } from "../../core/commands/command-result.js";
import type { Actor } from "../../core/model/actor.js";
import { ACTION, encodeConfirmValue } from "./action-ids.js";
import { CONFIRMATION_LIFETIME_MS, confirmationExpiresAt } from "../../core/commands/confirmation-lifetime.js";
import type { SlackBlock, SlackReply } from "./slack-api.js";
import { unmappedHint } from "./slack-actor.js";
import { escapeMrkdwn, truncate } from "./slack-text.js";

/** Slack caps a message's text at 40,000 characters; replies stay far below. */
const MAX_TEXT = 12_000;
/** Slack rejects a message whose button value is longer. */
const MAX_BUTTON_VALUE = 2000;

export interface ReplyOptions {
  readonly actor: Actor;
  /** For a confirmation prompt: the prompt's nonce, and the key shared by every prompt for the same thing. */
  readonly prompt?: { readonly nonce: string; readonly key?: string; readonly askedAt?: number };
}

/**
 * How Slack answers a command's result. A deploy that was accepted is answered by its card in
 * the channel, so it needs no reply; refusals and information are ephemeral (only the actor sees
 * them); a lock taken or lifted is announced in the channel; confirmation becomes two buttons.
 */
export function replyForResult(result: CommandResult, options: ReplyOptions): SlackReply | undefined {
  switch (result.outcome) {
    case "ignored":
      return undefined;
    case "started":
    case "queued":
    case "waiting":
      // Where approvals are asked for, the requester learns who may approve and the approver what
      // their approval did; other accepted deploys are answered by their card alone.
      return result.record.approval ? withHint(ephemeral(escapeMrkdwn(truncate(result.message, MAX_TEXT))), options.actor) : undefined;
    case "refused":
      if (result.reasonCode === "confirmation_required" && options.prompt) return confirmationPrompt(result, options.prompt);
      return withHint(ephemeral(`${lineFor(result)}\n_reason: \`${result.reasonCode}\`_`), options.actor);
    case "done":
      if (result.results?.length) return withHint(ephemeral(result.results.map((r) => lineFor(r)).join("\n")), options.actor);
      // Lock and unlock answer with the lock alone; `deploys` lists locks next to its deploys.
      if (result.locks && !result.deploys) return { responseType: "in_channel", text: escapeMrkdwn(truncate(result.message, MAX_TEXT)) };
      return withHint(ephemeral(escapeMrkdwn(truncate(result.message || "Done.", MAX_TEXT))), options.actor);
  }
}

/** The answer that replaces a Confirm/Cancel prompt once Confirm was clicked. */
export function confirmedText(result: CommandResult, clicker: Actor): string {
  if (result.outcome === "refused") return lineFor(result);
  return `✅ Confirmed by ${escapeMrkdwn(clicker.name)}: ${escapeMrkdwn(truncate(messageOf(result), MAX_TEXT))}`;
}

/** One result as a line; a refusal is marked. */
export function lineFor(result: CommandResult): string {
  const mark = result.outcome === "refused" ? "🚫 " : "";
  return `${mark}${escapeMrkdwn(truncate(messageOf(result), MAX_TEXT))}`;
}

const messageOf = (result: CommandResult): string => ("message" in result ? result.message : "");

function ephemeral(text: string): SlackReply {
  return { responseType: "ephemeral", text };
}

/** Everyone must learn how to get mapped, whatever they typed; once per reply, and not twice. */
function withHint(reply: SlackReply, actor: Actor): SlackReply {
  if (actor.login || !actor.slackUserId || reply.text.includes("people:")) return reply;
  return { ...reply, text: `${reply.text}\n${unmappedHint(actor.slackUserId)}` };
}

/** Says when the prompt stops taking answers, in the reader's own time zone (Slack's date formatting). */
function expiryNote(askedAt: number): SlackBlock {
  const at = confirmationExpiresAt(askedAt);
  const seconds = Math.floor(at.getTime() / 1000);
  return { type: "context", elements: [{ type: "mrkdwn", text: `Answer by <!date^${seconds}^{time}|${at.toISOString().slice(11, 16)} UTC> (${CONFIRMATION_LIFETIME_MS / 60_000} minutes); after that, run the command again.` }] };
}

function confirmationPrompt(result: ConfirmationResult, prompt: NonNullable<ReplyOptions["prompt"]>): SlackReply {
  const value = encodeConfirmValue({ pending: result.pending, ...prompt });
  // A very long command (a reason of a page) cannot ride on a button; the flag still works.
  if (value.length > MAX_BUTTON_VALUE) return { responseType: "ephemeral", text: `⚠️ ${escapeMrkdwn(truncate(result.message, MAX_TEXT))}` };
  return {
    responseType: "ephemeral",
    text: `${escapeMrkdwn(result.question)} Confirm or cancel.`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `⚠️ ${escapeMrkdwn(truncate(result.question, 2800))}` } },
      ...(prompt.askedAt !== undefined ? [expiryNote(prompt.askedAt)] : []),
      {
        type: "actions",
        block_id: `confirm:${prompt.nonce}`,
        elements: [
          { type: "button", action_id: ACTION.confirm, style: "primary", text: { type: "plain_text", text: "Confirm" }, value },
          { type: "button", action_id: ACTION.dismiss, text: { type: "plain_text", text: "Cancel" }, value },
        ],
      },
    ],
  };
}
