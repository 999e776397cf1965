import { Webhooks } from "@octokit/webhooks";
import type { RequestInbox } from "../../ports/request-inbox.js";
import type { Logger } from "../../core/ports/logger.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";
import { handleCommentCommand, isCommandComment } from "./handle-comment-command.js";
import { handleMerge, isMergeIntoDefaultBranch } from "./handle-merge.js";
import { handleProtectionRule } from "./handle-protection-rule.js";
import { checkPayload } from "./check-payload.js";
import type { IssueCommentPayload, ProtectionRulePayload, PullRequestClosedPayload } from "./webhook-payloads.js";

export interface WebhookAppDeps {
  /** The GitHub App's webhook secret. */
  readonly secret: string;
  readonly handlers: GitHubHandlerDeps;
  readonly inbox: RequestInbox;
  readonly logger: Logger;
  /** A webhook names the installation of its repository: remember it, no lookup needed later. */
  readonly rememberInstallation: (repo: string, installationId: number) => void;
}

const MERGE = "github.merge";
const COMMENT = "github.comment";
const PROTECTION_RULE = "github.protection_rule";

/** One verified delivery: X-GitHub-Delivery, X-GitHub-Event and the parsed body. */
export interface WebhookDelivery {
  readonly id: string;
  readonly name: string;
  readonly payload: object;
}

/**
 * Three events in, plain handler calls out. Dispatch is @octokit/webhooks' (what Probot itself
 * is built on) without Probot's per-event Context: a handler needs no client of its own, and
 * building one for every delivery (an Octokit with its plugins) was a tenth of a merge's cost.
 * The signature is checked before this (webhook-mount.ts), so deliveries are only dispatched. Each
 * delivery that would act is recorded in the inbox under its X-GitHub-Delivery before any work,
 * so a redelivery does nothing new (across restarts and replicas), and a delivery whose work a
 * crash or a failure cut short is worked on again by a sweep: GitHub does not redeliver by itself.
 */
export function whistlestopWebhooks(deps: WebhookAppDeps): (delivery: WebhookDelivery) => Promise<void> {
  const { inbox, handlers } = deps;
  inbox.handle(MERGE, async (payload) => void (await handleMerge(handlers, payload as PullRequestClosedPayload)));
  inbox.handle(COMMENT, async (payload) => void (await handleCommentCommand(handlers, payload as IssueCommentPayload)));
  inbox.handle(PROTECTION_RULE, async (payload) => void (await handleProtectionRule(handlers, payload as ProtectionRulePayload)));

  const acceptAndWork = async (id: string, kind: string, payload: { repository: { full_name: string }; installation?: { id: number } | null }): Promise<void> => {
    const installation = payload.installation?.id;
    if (installation) deps.rememberInstallation(payload.repository.full_name, installation);
    const key = `github:delivery:${id}`;
    // A store that cannot record the delivery throws: GitHub is answered 500 and nothing was done.
    if ((await inbox.accept(key, kind, payload)) === "duplicate") {
      deps.logger.info({ delivery: id }, "GitHub redelivered a webhook already accepted; nothing new done");
      return;
    }
    await inbox.work(key, kind, payload);
  };

  // receive() dispatches without checking the signature again: webhook-mount.ts checked it.
  const webhooks = new Webhooks({ secret: deps.secret });
  // Checked before any field is read: a malformed payload is a 400 that does nothing (check-payload.ts).
  webhooks.on("pull_request.closed", async ({ id, payload: raw }) => {
    const payload = checkPayload("pull_request.closed", raw);
    if (isMergeIntoDefaultBranch(payload)) await acceptAndWork(id, MERGE, payload);
  });
  webhooks.on("issue_comment.created", async ({ id, payload: raw }) => {
    const payload = checkPayload("issue_comment.created", raw);
    if (isCommandComment(payload)) await acceptAndWork(id, COMMENT, payload);
  });
  webhooks.on("deployment_protection_rule.requested", async ({ id, payload: raw }) => {
    await acceptAndWork(id, PROTECTION_RULE, checkPayload("deployment_protection_rule.requested", raw));
  });
  return (delivery) => webhooks.receive(delivery as Parameters<typeof webhooks.receive>[0]);
}
