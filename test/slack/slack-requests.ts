import { createHmac, randomBytes } from "node:crypto";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
export const BOT_TOKEN = "xoxb-test-0000-bot-token";
/** The workspace the test requests come from unless they say otherwise. */
export const TEAM_ID = "T0WHISTLE";

/** Slack's v0 signature, computed here independently of the code under test. */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  /** Seconds since the epoch; default now. */
  readonly timestamp?: number;
  readonly secret?: string;
  readonly signature?: string;
}

export async function postSigned(url: string, body: string, contentType: string, options: SendOptions = {}): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(`${url}/slack/events`, {
    method: "POST",
    headers: {
      "Content-Type": contentType,
      "X-Slack-Request-Timestamp": String(timestamp),
      "X-Slack-Signature": options.signature ?? sign(body, timestamp, options.secret),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

export interface SlashCommandFields {
  readonly command: string;
  readonly text: string;
  readonly userId: string;
  readonly userName?: string;
  readonly channelId?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  /** The workspace; default T0WHISTLE. */
  readonly teamId?: string;
}

/** A form-encoded slash command as Slack sends it (text HTML-escaped). */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: fields.teamId ?? TEAM_ID,
    team_domain: "whistlestop-demo",
    channel_id: fields.channelId ?? "C0OPS",
    channel_name: "ops",
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: fields.command,
    text: fields.text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
    api_app_id: "A0WHISTLE",
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `${Date.now()}.${randomBytes(4).toString("hex")}`,
  }).toString();
}

export function sendSlashCommand(url: string, fields: SlashCommandFields, options?: SendOptions) {
  return postSigned(url, slashCommandBody(fields), "application/x-www-form-urlencoded", options);
}

export interface ClickFields {
  readonly actionId: string;
  readonly value: string;
  readonly userId: string;
  readonly channelId?: string;
  readonly responseUrl: string;
  /** The message the button is on; ephemeral prompts have none. */
  readonly messageTs?: string;
  /** The workspace; default T0WHISTLE. */
  readonly teamId?: string;
}

/** A block_actions interaction as Slack sends it: form field `payload` holding JSON. */
export function clickBody(fields: ClickFields): string {
  const channel = fields.channelId ?? "C0OPS";
  const team = fields.teamId ?? TEAM_ID;
  const payload = {
    type: "block_actions",
    user: { id: fields.userId, username: fields.userId.toLowerCase(), name: fields.userId.toLowerCase(), team_id: team },
    api_app_id: "A0WHISTLE",
    token: "deprecated-verification-token",
    container: fields.messageTs
      ? { type: "message", message_ts: fields.messageTs, channel_id: channel, is_ephemeral: false }
      : { type: "message", message_ts: "1700000000.000001", channel_id: channel, is_ephemeral: true },
    trigger_id: `${Date.now()}.${randomBytes(4).toString("hex")}`,
    team: { id: team, domain: "whistlestop-demo" },
    channel: { id: channel, name: "ops" },
    response_url: fields.responseUrl,
    actions: [
      {
        type: "button",
        action_id: fields.actionId,
        block_id: "b1",
        text: { type: "plain_text", text: "button" },
        value: fields.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function sendClick(url: string, fields: ClickFields, options?: SendOptions) {
  return postSigned(url, clickBody(fields), "application/x-www-form-urlencoded", options);
}
