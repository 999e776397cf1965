import type { IncomingMessage, ServerResponse } from "node:http";
import type { App, Receiver } from "@slack/bolt";
import { ReceiverMultipleAckError } from "@slack/bolt";
import { readBody } from "../http/read-body.js";
import { HttpError } from "../http/http-error.js";
import { sendJson } from "../http/send-json.js";
import { parseSlackBody } from "./parse-slack-body.js";
import { verifySlackSignature } from "./verify-slack-signature.js";

export const SLACK_EVENTS_PATH = "/slack/events";
/** Slack's bodies are a few KiB; a block_actions payload with a big message stays well under this. */
const BODY_LIMIT_BYTES = 512 * 1024;

export interface SlackMountReceiverOptions {
  readonly signingSecret: string;
  /** Milliseconds since the epoch: the signature window's clock. */
  readonly now: () => number;
  readonly onRejected?: (reason: string) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * A Bolt receiver that is a mount on Whistlestop's own HTTP server rather than a server of its
 * own: it verifies the v0 signature before anything is parsed, hands Bolt `{body, ack}`, and
 * answers the HTTP request the moment the listener acks — the listener's work goes on after.
 */
export class SlackMountReceiver implements Receiver {
  private app: App | undefined;
  private readonly working = new Set<Promise<void>>();

  constructor(private readonly options: SlackMountReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** The shared server is started by the app; nothing to do. */
  async start(): Promise<void> {}

  /** Waits for listeners still working after their ack (graceful shutdown). */
  async stop(): Promise<void> {
    while (this.working.size > 0) await Promise.allSettled([...this.working]);
  }

  /** The HttpMount handler for POST /slack/events. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "Slack sends POST requests to /slack/events." }, { Allow: "POST" });
      return true;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, BODY_LIMIT_BYTES);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 400;
      // The headers carry Connection: close after a 413, so the unread rest of the body is not drained.
      sendJson(res, status, { error: error instanceof Error ? error.message : "Could not read the body." }, error instanceof HttpError ? error.headers : {});
      return true;
    }
    const check = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody: raw,
      timestamp: header(req, "x-slack-request-timestamp"),
      signature: header(req, "x-slack-signature"),
      nowMs: this.options.now(),
    });
    if (!check.ok) {
      this.options.onRejected?.(check.reason);
      sendJson(res, 401, { error: "Invalid or expired Slack signature; the request was ignored. Check SLACK_SIGNING_SECRET and the server's clock." });
      return true;
    }
    const parsed = parseSlackBody(raw, header(req, "content-type"));
    if (!parsed.ok) {
      sendJson(res, 400, { error: parsed.message });
      return true;
    }
    const { body } = parsed;
    if (body.ssl_check) return answer(res, 200, "");
    if (body.type === "url_verification") {
      sendJson(res, 200, { challenge: body.challenge });
      return true;
    }
    await this.dispatch(body, req, res);
    return true;
  };

  private async dispatch(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const app = this.app;
    if (!app) throw new Error("SlackMountReceiver used before Bolt initialised it");
    let acked = false;
    let onAck: () => void = () => {};
    const ackSent = new Promise<void>((resolve) => (onAck = resolve));
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) throw new ReceiverMultipleAckError();
      acked = true;
      if (response === undefined || response === "") answer(res, 200, "");
      else if (typeof response === "string") answer(res, 200, response, "text/plain; charset=utf-8");
      else answer(res, 200, JSON.stringify(response), "application/json; charset=utf-8");
      onAck();
    };
    const retryNum = Number(header(req, "x-slack-retry-num"));
    const retryReason = header(req, "x-slack-retry-reason");
    const processing = app
      .processEvent({ body, ack, ...(Number.isInteger(retryNum) ? { retryNum } : {}), ...(retryReason ? { retryReason } : {}) })
      .catch((error: unknown) => {
        this.options.onError?.(error);
        if (!acked) {
          acked = true;
          sendJson(res, 500, { error: "Whistlestop could not handle this Slack request." });
        }
      });
    this.working.add(processing);
    void processing.finally(() => this.working.delete(processing));
    await Promise.race([ackSent, processing]);
    // A request no listener acknowledged (an event type nobody handles) still gets its 200.
    if (!acked) {
      acked = true;
      answer(res, 200, "");
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answer(res: ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): true {
  if (res.headersSent) return true;
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
  return true;
}
