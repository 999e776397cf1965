import { createHmac } from "node:crypto";
import fc from "fast-check";
import { issueComment, mergedPullRequest, protectionRuleRequested, WEBHOOK_SECRET } from "../github/webhook-fixtures.js";
import { SIGNING_SECRET } from "../slack/slack-requests.js";

type Json = Record<string, unknown>;

const smallValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 1 }));
const slackRecord = fc.dictionary(
  fc.constantFrom("id", "team_id", "type", "channel", "name", "username", "action_id", "value", "creator", "created_by", "enterprise_id", "channel_id", "message_ts"),
  smallValue,
  { maxKeys: 5 },
);
const slackUser = fc.oneof(fc.record({ id: fc.constantFrom("U024BE7LH", "U0NEWBIE1"), username: fc.string({ maxLength: 8 }) }), slackRecord, smallValue);
const slackAction = fc.oneof(
  fc.record({ type: fc.constantFrom("button", "static_select"), action_id: fc.oneof(fc.constantFrom("whistlestop_confirm", "whistlestop_cancel", "whistlestop_rollback", "whistlestop_x"), fc.string({ maxLength: 10 })), value: smallValue }, { requiredKeys: [] }),
  slackRecord,
  smallValue,
);
const SLACK_TYPES = ["block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion", "dialog_submission", "interactive_message", "event_callback", "url_verification", "app_rate_limited"];

const maybe = <T>(usual: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: usual }, { weight: 1, arbitrary: smallValue });

/** Objects shaped like what Slack posts (slash commands, interactions, events), with fields of any type. */
export const slackObject: fc.Arbitrary<Json> = fc.oneof(
  fc.record(
    {
      command: maybe(fc.constantFrom("/deploy", "/lock", "/rollback", "/deploys", "/unlock", "/whatever")),
      text: maybe(fc.string({ maxLength: 30 })),
      user_id: maybe(fc.constantFrom("U024BE7LH", "U0NEWBIE1")),
      user_name: smallValue,
      channel_id: maybe(fc.constant("C0OPS")),
      team_id: smallValue,
      trigger_id: smallValue,
      response_url: fc.constant("RESPONSE_URL"),
    },
    { requiredKeys: ["command"] },
  ),
  fc.record(
    {
      type: maybe(fc.constantFrom(...SLACK_TYPES)),
      user: slackUser,
      team: fc.oneof(slackRecord, smallValue),
      enterprise: fc.oneof(slackRecord, smallValue),
      channel: fc.oneof(slackRecord, smallValue),
      container: fc.oneof(slackRecord, smallValue),
      message: fc.oneof(slackRecord, smallValue),
      actions: maybe(fc.array(slackAction, { maxLength: 3 })),
      view: fc.oneof(slackRecord, smallValue),
      name: smallValue,
      trigger_id: smallValue,
      callback_id: smallValue,
      response_url: fc.constant("RESPONSE_URL"),
    },
    { requiredKeys: ["type"] },
  ),
  fc.record(
    {
      type: maybe(fc.constantFrom("event_callback", "url_verification", "app_rate_limited")),
      event: maybe(slackRecord),
      authorizations: maybe(fc.array(fc.oneof(slackRecord, smallValue), { maxLength: 2 })),
      challenge: smallValue,
      team_id: smallValue,
      ssl_check: smallValue,
    },
    { requiredKeys: [] },
  ),
);

export type SlackBody = { readonly body: string; readonly contentType: string };

/** A Slack body as JSON, as a form with a `payload`, or as a plain form (slash commands). */
export function slackBody(responseUrl: string): fc.Arbitrary<SlackBody> {
  const withUrl = slackObject.map((object) => ("response_url" in object ? { ...object, response_url: responseUrl } : object));
  return fc.oneof(
    withUrl.map((object) => ({ body: JSON.stringify(object), contentType: "application/json" })),
    withUrl.map((object) => ({ body: new URLSearchParams({ payload: JSON.stringify(object) }).toString(), contentType: "application/x-www-form-urlencoded" })),
    withUrl.map((object) => ({
      body: new URLSearchParams(Object.entries(object).map(([key, value]): [string, string] => [key, typeof value === "string" ? value : JSON.stringify(value)])).toString(),
      contentType: "application/x-www-form-urlencoded",
    })),
  );
}

/** Slack's v0 signature over the exact bytes. */
export function slackSignature(body: string | Buffer, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}

/** GitHub's X-Hub-Signature-256 over the exact bytes. */
export function githubSignature(body: string | Buffer, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A repository in no service's `repo`: a merge there deploys nothing, whatever else the payload says. */
const UNCONFIGURED_REPO = "fuzz-org/not-configured";

/** Real payloads of the three events Whistlestop acts on, none of which would act as they stand. */
function basePayloads(callbackUrl: string): Array<{ event: string; payload: Json }> {
  return [
    { event: "issue_comment", payload: issueComment({ body: "/deploy no-such-service staging" }) },
    { event: "issue_comment", payload: issueComment({ body: "/help", repo: UNCONFIGURED_REPO }) },
    { event: "pull_request", payload: mergedPullRequest({ mergeSha: "a".repeat(40), repo: UNCONFIGURED_REPO }) },
    { event: "deployment_protection_rule", payload: protectionRuleRequested({ environment: "prod", callbackUrl, repo: UNCONFIGURED_REPO }) },
  ];
}

function pathsOf(value: unknown, prefix: string[] = [], into: string[][] = []): string[][] {
  if (typeof value !== "object" || value === null || into.length > 400) return into;
  for (const key of Object.keys(value)) {
    const path = [...prefix, key];
    into.push(path);
    pathsOf((value as Json)[key], path, into);
  }
  return into;
}

function mutate(payload: Json, path: readonly string[], replacement: unknown, remove: boolean): void {
  let node: unknown = payload;
  for (const key of path.slice(0, -1)) node = (node as Json)[key];
  if (typeof node !== "object" || node === null) return;
  const last = path[path.length - 1]!;
  // A repository renamed into one of the example config's would make a real merge; keep them out.
  if (last === "full_name" && typeof replacement === "string" && replacement.startsWith("whistlestop-demo/")) return;
  if (remove) delete (node as Json)[last];
  else (node as Json)[last] = replacement;
}

/** A real webhook payload with a few fields removed or replaced by values of any type. */
export function githubDelivery(callbackUrl: string): fc.Arbitrary<{ event: string; body: string }> {
  const bases = basePayloads(callbackUrl);
  const mutation = fc.record({ at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }), remove: fc.boolean() });
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
      event: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom("issue_comment", "pull_request", "deployment_protection_rule", "ping", "push", "installation", "", "__proto__", "constructor", "toString"), fc.string({ maxLength: 10 })) }),
    })
    .map(({ base, mutations, event }) => {
      const chosen = bases[base]!;
      const payload = structuredClone(chosen.payload);
      for (const { at, value, remove } of mutations) {
        const paths = pathsOf(payload);
        if (paths.length > 0) mutate(payload, paths[at % paths.length]!, value, remove);
      }
      return { event: event ?? chosen.event, body: JSON.stringify(payload) };
    });
}
