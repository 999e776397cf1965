/** What a Slack request body turned into, or why it could not be read. */
export type ParsedSlackBody = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly message: string };

/**
 * Slash commands arrive form-encoded, interactions as a form with one `payload` field holding
 * JSON, events as JSON. Each becomes the plain object Bolt routes on.
 */
export function parseSlackBody(rawBody: Buffer, contentType: string | undefined): ParsedSlackBody {
  const text = rawBody.toString("utf8");
  const type = (contentType ?? "").toLowerCase();
  try {
    if (type.includes("application/json")) return asObject(JSON.parse(text));
    if (type.includes("application/x-www-form-urlencoded")) {
      const form = new URLSearchParams(text);
      const payload = form.get("payload");
      if (payload !== null) return asObject(JSON.parse(payload));
      return asObject(Object.fromEntries(form.entries()));
    }
  } catch {
    return { ok: false, message: "The body is not valid JSON." };
  }
  return { ok: false, message: "Slack sends application/x-www-form-urlencoded or application/json bodies." };
}

function asObject(value: unknown): ParsedSlackBody {
  if (!isRecord(value)) return { ok: false, message: "The body is not a JSON object." };
  const problem = envelopeProblem(value);
  return problem ? { ok: false, message: `Not a Slack request Whistlestop understands: ${problem}.` } : { ok: true, body: value };
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const optional = (value: unknown, test: (v: unknown) => boolean): boolean => value === undefined || test(value);
const isString = (value: unknown): boolean => typeof value === "string";

/**
 * The fields Bolt reads while routing a request, before any listener runs; Bolt throws on a body
 * without them (a 500). Slack always sends them, so a signed body that lacks them is refused.
 * The checks follow Bolt's own order of telling events, commands and interactions apart.
 */
function envelopeProblem(body: Json): string | undefined {
  // Answered before Bolt sees it (the receiver tests the same truthiness).
  if (body.ssl_check) return undefined;
  if (body.event !== undefined) {
    const event = body.event;
    if (!isRecord(event)) return "event is not an object";
    if (!optional(event.channel, (c) => isString(c) || isRecord(c))) return "event.channel is not a string or an object";
    if (!optional(event.item, isRecord) || !optional(event.subteam, isRecord)) return "event.item or event.subteam is not an object";
    if (!optional(event.user, (u) => isString(u) || isRecord(u))) return "event.user is not a string or an object";
    if (!optional(body.authorizations, (a) => Array.isArray(a) && a.every(isRecord))) return "authorizations is not a list of objects";
    return undefined;
  }
  if (body.command !== undefined) {
    if (![body.command, body.user_id, body.channel_id].every(isString)) return "a slash command needs command, user_id and channel_id";
    return [body.text, body.user_name, body.trigger_id, body.response_url].every((v) => optional(v, isString)) ? undefined : "a slash command's fields are text";
  }
  const interaction = body.name !== undefined || body.actions !== undefined || ["block_suggestion", "dialog_submission", "shortcut", "message_action", "view_submission", "view_closed"].includes(String(body.type));
  if (!interaction) return isString(body.type) ? undefined : "no type";
  if (!isRecord(body.user) || !isString(body.user.id)) return "user.id is missing";
  if (![body.user.username, body.user.name, body.response_url].every((v) => optional(v, isString))) return "user.username, user.name or response_url is not text";
  for (const key of ["team", "enterprise"] as const) if (!optional(body[key], (v) => v === null || isRecord(v))) return `${key} is not an object`;
  for (const key of ["channel", "container", "message"] as const) if (!optional(body[key], isRecord)) return `${key} is not an object`;
  const isAction = (a: unknown) => isRecord(a) && optional(a.action_id, isString) && optional(a.value, isString);
  if (!optional(body.actions, (a) => Array.isArray(a) && a.every(isAction))) return "actions is not a list of actions";
  if (String(body.type).startsWith("view_") && !isRecord(body.view)) return "view is not an object";
  return undefined;
}
