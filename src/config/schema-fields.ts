import { z } from "zod";

/** Building blocks of the whistlestop.yml schema, shared by schema.ts and the sections kept in files of their own. */

/** "required: …" when the key is missing, "expected …" when it has the wrong kind of value. */
export function expecting(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}, got ${describeValue(issue.input)}`) };
}

export function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** A string that must pass `problemOf`, which returns the message when it does not. */
export function formatted(what: string, problemOf: (value: string) => string | undefined) {
  return z.string(expecting(what)).superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export const LOGIN = /^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const TEAM = /^@[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SLACK_USER = /^slack:[UW][A-Z0-9]{2,}$/i;
const API_CLIENT = /^api:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/i;
export const SLACK_CHANNEL = /^[CG][A-Z0-9]{2,}$/;

/** An entry of deployers, admins or approvals.from. */
export const accessEntry = formatted("a GitHub login, @org/team, slack:U… or api:<client>", (v) =>
  LOGIN.test(v.trim()) || TEAM.test(v.trim()) || SLACK_USER.test(v.trim()) || API_CLIENT.test(v.trim())
    ? undefined
    : `"${v}" is not a GitHub login, an @org/team, slack:U… (a Slack user id) or api:<client> (an api_clients name)`,
);

export const slackChannel = formatted("a Slack channel id like C0123ABCD", (v) =>
  SLACK_CHANNEL.test(v) ? undefined : `"${v}" is not a Slack channel id (C… or G…; not the #name — copy it from the channel details)`,
);
