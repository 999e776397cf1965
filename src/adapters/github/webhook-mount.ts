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
 * request gets 401 and reaches nothing; then Probot's own middleware takes the raw
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
    const event = String(req.headers["x-github-event"] ?? "");
    if (!/^[a-z_]{1,100}$/.test(event) || event in Object.prototype) {
      // Probot fails with a 500 on an empty event name, and looks names up in a plain object ("__proto__").
      sendJson(res, 400, { error: "The X-GitHub-Event header is missing or is not an event name like issue_comment." });
      return true;
    }
    const problem = payloadProblem(text);
    if (problem) {
      sendJson(res, 400, { error: problem });
      return true;
    }
    (req as IncomingMessage & { body?: string }).body = text;
    return options.middleware(req, res);
  };
}

/**
 * What Probot itself reads before any handler runs: a JSON object, whose `installation.id` (when
 * given) it authenticates with. Anything else makes it fail with a 500 (on `null`, or an id that
 * is not a number) or act on a payload that cannot be a webhook (`[]`).
 */
function payloadProblem(text: string): string | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return "The webhook body is not a JSON object; set the GitHub App's webhook content type to application/json.";
  }
  const installation = (payload as { installation?: unknown }).installation;
  if (installation === undefined || installation === null) return undefined;
  const id = (installation as { id?: unknown }).id;
  if (typeof installation !== "object" || Array.isArray(installation) || (id !== undefined && !(Number.isSafeInteger(id) && (id as number) > 0))) {
    return "The webhook's installation.id is not an installation id; nothing was done.";
  }
  return undefined;
}
