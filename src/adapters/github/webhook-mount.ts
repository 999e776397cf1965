import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../core/ports/logger.js";
import { HttpError } from "../http/http-error.js";
import { readBody } from "../http/read-body.js";
import { sendJson } from "../http/send-json.js";
import { verifyWebhookSignature } from "./verify-webhook-signature.js";
import type { WebhookDelivery } from "./whistlestop-webhooks.js";

export const GITHUB_WEBHOOKS_PATH = "/api/github/webhooks";
/**
 * The body is buffered before its signature can be checked, so anyone can make us hold this much.
 * GitHub sends up to 25 MB, but the events acted on stay far below 2 MiB: their largest parts
 * are a PR or issue body and a comment, 65 536 characters each. Larger deliveries (installation
 * events listing thousands of repositories) are ignored anyway.
 */
const BODY_LIMIT = 2 * 1024 * 1024;

/**
 * POST /api/github/webhooks: the signature is checked here first, so an unsigned or badly signed
 * request gets 401 and reaches nothing; the body is parsed once and the delivery dispatched. GitHub
 * is answered when its handlers are done: 200, or the status of the error one threw (a payload
 * of the wrong shape is a 400), 500 for anything else.
 */
export function githubWebhookHandler(options: { secret: string; receive: (delivery: WebhookDelivery) => Promise<void>; logger: Logger }) {
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
    if (!/^\s*application\/json\s*(?:;|$)/i.test(String(req.headers["content-type"] ?? ""))) {
      sendJson(res, 415, { error: 'The webhook content type must be "application/json"; set it in the GitHub App\'s webhook settings.' });
      return true;
    }
    const id = req.headers["x-github-delivery"];
    if (typeof id !== "string" || !/^[\x21-\x7e]{1,100}$/.test(id)) {
      // The delivery id is what makes a redelivery recognisable: without one nothing is done.
      sendJson(res, 400, { error: "The X-GitHub-Delivery header is missing or is not a delivery id." });
      return true;
    }
    const parsed = parsePayload(text);
    if (typeof parsed === "string") {
      sendJson(res, 400, { error: parsed });
      return true;
    }
    try {
      await options.receive({ id, name: event, payload: parsed });
    } catch (error) {
      const { status, message } = failureOf(error);
      if (status >= 500) options.logger.error({ err: error, delivery: id, event }, "a GitHub webhook failed; GitHub was answered with an error");
      sendJson(res, status, { error: message });
      return true;
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
    return true;
  };
}

/** The status and message of what a handler threw (@octokit/webhooks gathers them in an AggregateError). */
function failureOf(error: unknown): { status: number; message: string } {
  const first = error instanceof AggregateError && error.errors.length > 0 ? (error.errors[0] as unknown) : error;
  const status = (first as { status?: unknown } | undefined)?.status;
  const known = typeof status === "number" && status >= 400 && status < 600 ? status : 500;
  const message = first instanceof Error && known < 500 ? `${first.name}: ${first.message}` : "The webhook could not be handled; see the server's log. GitHub can redeliver it.";
  return { status: known, message };
}

/**
 * The body as a JSON object whose `installation.id`, when given, is an installation id; anything
 * else (`null`, `[]`, an id that is not a number) cannot be a webhook, and the string says why.
 */
function parsePayload(text: string): object | string {
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
  if (installation === undefined || installation === null) return payload;
  const id = (installation as { id?: unknown }).id;
  if (typeof installation !== "object" || Array.isArray(installation) || (id !== undefined && !(Number.isSafeInteger(id) && (id as number) > 0))) {
    return "The webhook's installation.id is not an installation id; nothing was done.";
  }
  return payload;
}
