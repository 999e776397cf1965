import { z } from "zod";
import type { IssueCommentPayload, ProtectionRulePayload, PullRequestClosedPayload } from "./webhook-payloads.js";

const user = z.object({ login: z.string().min(1), type: z.string().optional() });
const repository = z.object({ full_name: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/), default_branch: z.string().optional() });
const installation = z.object({ id: z.number() }).nullish();
const number = z.number().int().nonnegative();

const SHAPES = {
  "pull_request.closed": z.object({
    action: z.string(),
    repository,
    sender: user,
    installation,
    pull_request: z.object({
      number,
      merged: z.boolean().nullish(),
      merge_commit_sha: z.string().nullish(),
      merged_at: z.string().nullish(),
      merged_by: user.nullish(),
      base: z.object({ ref: z.string() }),
    }),
  }),
  "issue_comment.created": z.object({
    action: z.string(),
    repository,
    sender: user,
    installation,
    issue: z.object({ number, pull_request: z.unknown().optional() }),
    comment: z.object({ id: number, body: z.string().nullish(), user: user.nullable(), performed_via_github_app: z.unknown().optional() }),
  }),
  "deployment_protection_rule.requested": z.object({
    action: z.string(),
    repository,
    sender: user.nullish(),
    installation,
    environment: z.string().optional(),
    event: z.string().optional(),
    deployment_callback_url: z.string().optional(),
    deployment: z.object({ sha: z.string().optional(), ref: z.string().optional(), creator: user.nullish() }).nullish(),
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
 *
 * What comes back holds only those fields. GitHub's payloads are large (a merged pull request's
 * is about 24 KB, almost all of it never read); the inbox stores the payload until the work is
 * done, so keeping only what the handlers read keeps every accepted delivery a small row.
 */
export function checkPayload<E extends keyof Payloads>(event: E, payload: unknown): Payloads[E] {
  const result = SHAPES[event].safeParse(payload);
  if (result.success) return result.data as Payloads[E];
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join(".") : "the payload";
  throw new BadPayloadError(`The ${event} payload is not what GitHub sends (${field}: ${issue.message}); nothing was done.`);
}
