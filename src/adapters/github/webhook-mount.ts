import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../core/ports/logger.js";
import { HttpError } from "../http/http-error.js";
import { readBody } from "../http/read-body.js";
import { sendJson } from "../http/send-json.js";
import { verifyWebhookSignature } from "./verify-webhook-signature.js";

export const GITHUB_WEBHOOKS_PATH = "/api/github/webhooks";
/**
 * The body is buffered before its signature can be checked, so anyone can make us hold this much.
 * GitHub sends up to 25 MB, but the events acted on stay far below 2 MiB: their largest parts
 * are a PR or issue body and a comment, 65 536 characters each. Larger deliveries (installation
 * events listing thousands of repositories) are ignored anyway.
 */
const BODY_LIMIT = 2 * 1024 * 1024;

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * POST /api/github/webhooks: the signature is checked here first, so an unsigned or badly signed
 * request gets 401 and reaches nothing (SPEC §10); then Probot's own middleware takes the raw
 * body (as a string on req.body, which it reads instead of the spent stream) and dispatches.
 */
export function githubWebhookHandler(options: { secret: string; middleware: NodeMiddleware; logger: Logger }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "POST") throw new HttpError(405, "GitHub webhooks are POSTed here.", { Allow: "POST" });
    const body = await readBody(req, BODY_LIMIT);
    const signature = req.headers["x-hub-signature-256"];
    if (!verifyWebhookSignature(options.secret, body, typeof signature === "string" ? signature : undefined)) {
      options.logger.warn({ delivery: req.headers["x-github-delivery"], event: req.headers["x-github-event"] }, "GitHub webhook with a missing or wrong signature refused");
      sendJson(res, 401, { error: "Missing or wrong X-Hub-Signature-256: the webhook secret of the GitHub App must equal WEBHOOK_SECRET." });
      return true;
    }
    const text = body.toString("utf8");
    if (!isJsonObject(text)) {
      sendJson(res, 400, { error: "The webhook body is not a JSON object; set the GitHub App's webhook content type to application/json." });
      return true;
    }
    (req as IncomingMessage & { body?: string }).body = text;
    return options.middleware(req, res);
  };
}

/** Probot fails with a 500 on `null` and acts on `[]`; only an object can be a webhook payload. */
function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
