import { z } from "zod";
import type { IssueCommentPayload, ProtectionRulePayload, PullRequestClosedPayload } from "./webhook-payloads.js";

const user = z.looseObject({ login: z.string().min(1), type: z.string().optional() });
const repository = z.looseObject({ full_name: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/), default_branch: z.string().optional() });
const installation = z.looseObject({ id: z.number() }).nullish();
const number = z.number().int().nonnegative();

const SHAPES = {
  "pull_request.closed": z.looseObject({
    action: z.string(),
    repository,
    sender: user,
    installation,
    pull_request: z.looseObject({
      number,
      merged: z.boolean().nullish(),
      merge_commit_sha: z.string().nullish(),
      merged_at: z.string().nullish(),
      merged_by: user.nullish(),
      base: z.looseObject({ ref: z.string() }),
    }),
  }),
  "issue_comment.created": z.looseObject({
    action: z.string(),
    repository,
    sender: user,
    installation,
    issue: z.looseObject({ number }),
    comment: z.looseObject({ id: number, body: z.string().nullish(), user: user.nullable() }),
  }),
  "deployment_protection_rule.requested": z.looseObject({
    action: z.string(),
    repository,
    sender: user.nullish(),
    installation,
    environment: z.string().optional(),
    event: z.string().optional(),
    deployment_callback_url: z.string().optional(),
    deployment: z.looseObject({ sha: z.string().optional(), ref: z.string().optional(), creator: user.nullish() }).nullish(),
  }),
} as const;

interface Payloads {
  "pull_request.closed": PullRequestClosedPayload;
  "issue_comment.created": IssueCommentPayload;
  "deployment_protection_rule.requested": ProtectionRulePayload;
}

/** Probot answers with the status of the error a handler throws. */
export class BadPayloadError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    // Probot shows "<name>: <message>" to the sender.
    this.name = "Bad payload";
  }
}

/**
 * The payload of a signed delivery, checked against the fields Whistlestop reads before any of
 * them is used: a delivery of an unexpected shape is answered 400 and does nothing, instead of
 * failing halfway with a TypeError (a 500 that tells nobody what was wrong).
 */
export function checkPayload<E extends keyof Payloads>(event: E, payload: unknown): Payloads[E] {
  const result = SHAPES[event].safeParse(payload);
  if (result.success) return payload as Payloads[E];
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join(".") : "the payload";
  throw new BadPayloadError(`The ${event} payload is not what GitHub sends (${field}: ${issue.message}); nothing was done.`);
}
