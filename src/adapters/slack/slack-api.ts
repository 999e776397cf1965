import type { types } from "@slack/bolt";

export type SlackBlock = types.KnownBlock;

/** A message as Slack renders it: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

/** An answer to a slash command or a click, sent to its response_url. */
export interface SlackReply extends SlackMessage {
  readonly responseType?: "ephemeral" | "in_channel";
  /** Replace the message the button was on (the Confirm/Cancel prompt) instead of adding one. */
  readonly replaceOriginal?: boolean;
}

export interface PostOptions {
  /** Post as a reply in this message's thread. */
  readonly threadTs?: string;
  /** Also show the thread reply in the channel (forced deploys are announced loudly). */
  readonly broadcast?: boolean;
}

/**
 * The Slack calls Whistlestop makes, and nothing more: the narrow port the notifier and the
 * listeners use, so tests and the core never meet a WebClient.
 */
export interface SlackApi {
  postMessage(channel: string, message: SlackMessage, options?: PostOptions): Promise<{ channel: string; ts: string }>;
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  postEphemeral(channel: string, user: string, message: SlackMessage): Promise<void>;
  respond(responseUrl: string, reply: SlackReply): Promise<void>;
}

/** Slack said no for good (channel_not_found, not_in_channel, invalid_blocks…): retrying will not help. */
export class SlackRefusedError extends Error {
  constructor(
    readonly code: string,
    method: string,
  ) {
    super(`Slack refused ${method}: ${code}`);
    this.name = "SlackRefusedError";
  }
}
