import type { SlackApi, SlackReply } from "./slack-api.js";

/** Where an answer to one person goes: the request's response_url, else an ephemeral message in the channel. */
export interface ReplyTarget {
  readonly userId: string;
  readonly channelId?: string;
  readonly responseUrl?: string;
}

/**
 * response_url works in every conversation, including ones the bot is not in; chat.postEphemeral
 * is the fallback when Slack gave none. A reply to replace the prompt needs the response_url.
 */
export async function replyToUser(api: SlackApi, target: ReplyTarget, reply: SlackReply): Promise<void> {
  if (target.responseUrl) return api.respond(target.responseUrl, reply);
  if (!target.channelId) throw new Error("nowhere to reply: the request had neither a response_url nor a channel");
  if (reply.responseType === "in_channel") {
    await api.postMessage(target.channelId, reply);
    return;
  }
  await api.postEphemeral(target.channelId, target.userId, reply);
}
