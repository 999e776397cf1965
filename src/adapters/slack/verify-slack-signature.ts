import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's replay window: a request older (or newer) than five minutes is refused. */
export const SLACK_MAX_AGE_SECONDS = 300;

export interface SlackSignatureInput {
  readonly signingSecret: string;
  /** The raw bytes Slack signed: verifying a re-serialised body would fail on any encoding difference. */
  readonly rawBody: Buffer | string;
  /** X-Slack-Request-Timestamp (seconds since the epoch). */
  readonly timestamp: string | undefined;
  /** X-Slack-Signature: "v0=<hex HMAC-SHA256>". */
  readonly signature: string | undefined;
  /** The clock, in milliseconds: injected so the window is tested without waiting. */
  readonly nowMs: number;
  readonly maxAgeSeconds?: number;
}

export type SlackSignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** "v0=" + hex HMAC-SHA256 of `v0:<timestamp>:<body>` — Slack's v0 request signature. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest("hex")}`;
}

/**
 * Pure check of a Slack request: the timestamp is a whole number within the window of `nowMs`,
 * and the signature matches (compared in constant time). The reason is for logs, never for the caller.
 */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "missing or malformed X-Slack-Request-Timestamp" };
  if (!signature || !signature.startsWith("v0=")) return { ok: false, reason: "missing or malformed X-Slack-Signature" };
  const ageSeconds = Math.abs(Math.floor(input.nowMs / 1000) - Number(timestamp));
  if (ageSeconds > (input.maxAgeSeconds ?? SLACK_MAX_AGE_SECONDS)) return { ok: false, reason: `timestamp is ${ageSeconds} s away from now` };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody));
  const presented = Buffer.from(signature);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: "signature does not match" };
  return { ok: true };
}
