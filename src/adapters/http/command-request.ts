import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";
import { readBody } from "./read-body.js";

export const MAX_COMMAND_LENGTH = 2000;
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const EXAMPLE = `Send {"text": "deploy donations staging"}.`;

export interface CommandRequest {
  readonly text: string;
  /** The GitHub Action's `github.actor`: shown next to the token name, never used for permissions. */
  readonly githubActor?: string;
  /** The raw `Idempotency-Key` header. */
  readonly idempotencyKey?: string;
}

/** Validates headers before reading the body (nothing is buffered for a request that will be refused). */
export function checkCommandHeaders(req: IncomingMessage): { idempotencyKey?: string } {
  const encoding = req.headers["content-encoding"];
  if (encoding && encoding.toLowerCase() !== "identity") {
    throw new HttpError(415, `Content-Encoding "${encoding}" is not supported. Send the JSON body uncompressed.`);
  }
  const contentType = req.headers["content-type"];
  if (!contentType || !isJsonUtf8(contentType)) {
    throw new HttpError(
      415,
      `The body must be JSON: set 'Content-Type: application/json'${contentType ? ` (got "${contentType.slice(0, 100)}")` : ""}. ${EXAMPLE}`,
    );
  }
  const key = req.headers["idempotency-key"];
  if (key === undefined) return {};
  if (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(400, "The Idempotency-Key header must be 1-200 visible ASCII characters (a UUID works).");
  }
  return { idempotencyKey: key };
}

function isJsonUtf8(contentType: string): boolean {
  const [mediaType = "", ...parameters] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (mediaType !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) return false;
  const charset = parameters.find((parameter) => parameter.startsWith("charset="));
  return !charset || ["charset=utf-8", 'charset="utf-8"', "charset=utf8"].includes(charset);
}

/** Reads and validates `{"text": "…", "githubActor"?: "…"}`; every refusal says what to send instead. */
export async function readCommandRequest(req: IncomingMessage, limitBytes: number): Promise<CommandRequest> {
  const { idempotencyKey } = checkCommandHeaders(req);
  const raw = await readBody(req, limitBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, `The body is not valid UTF-8. ${EXAMPLE}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message.slice(0, 200)})` : "";
    throw new HttpError(400, `The body is not valid JSON${detail}. ${EXAMPLE}`);
  }
  return { ...validateShape(body), ...(idempotencyKey ? { idempotencyKey } : {}) };
}

function validateShape(body: unknown): { text: string; githubActor?: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, `The body must be a JSON object. ${EXAMPLE}`);
  }
  const fields = body as Record<string, unknown>;
  if (!("text" in fields)) throw new HttpError(400, `The field "text" is missing. ${EXAMPLE}`);
  if (typeof fields.text !== "string") throw new HttpError(400, `The field "text" must be a string. ${EXAMPLE}`);
  const command = fields.text.trim();
  if (command === "") throw new HttpError(400, `The field "text" is empty. ${EXAMPLE} Send "help" to list the commands.`);
  if (command.length > MAX_COMMAND_LENGTH) {
    throw new HttpError(400, `The field "text" is ${command.length} characters long; the limit is ${MAX_COMMAND_LENGTH}. Shorten the --reason.`);
  }
  const actor = fields.githubActor;
  if (actor === undefined || actor === null) return { text: command };
  if (typeof actor !== "string" || !GITHUB_LOGIN.test(actor)) {
    throw new HttpError(400, `The field "githubActor" must be a GitHub login (letters, digits and "-", up to 39 characters).`);
  }
  return { text: command, githubActor: actor };
}
