import type { ApplicationFunction, Context } from "probot";
import type { RequestInbox } from "../../ports/request-inbox.js";
import type { Logger } from "../../core/ports/logger.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";
import { handleCommentCommand, isCommandComment } from "./handle-comment-command.js";
import { handleMerge, isMergeIntoDefaultBranch } from "./handle-merge.js";
import { handleProtectionRule } from "./handle-protection-rule.js";
import { checkPayload } from "./check-payload.js";
import type { IssueCommentPayload, ProtectionRulePayload, PullRequestClosedPayload } from "./webhook-payloads.js";

export interface ProbotAppDeps {
  readonly handlers: GitHubHandlerDeps;
  readonly inbox: RequestInbox;
  readonly logger: Logger;
  /** A webhook names the installation of its repository: remember it, no lookup needed later. */
  readonly rememberInstallation: (repo: string, installationId: number) => void;
}

const MERGE = "github.merge";
const COMMENT = "github.comment";
const PROTECTION_RULE = "github.protection_rule";

/**
 * The Probot app: three events in, plain handler calls out (no handler sees a Context). Each
 * delivery that would act is recorded in the inbox under its X-GitHub-Delivery before any work,
 * so a redelivery does nothing new (across restarts and replicas), and a delivery whose work a
 * crash or a failure cut short is worked on again by a sweep: GitHub does not redeliver by itself.
 */
export function whistlestopProbotApp(deps: ProbotAppDeps): ApplicationFunction {
  const { inbox, handlers } = deps;
  inbox.handle(MERGE, async (payload) => void (await handleMerge(handlers, payload as PullRequestClosedPayload)));
  inbox.handle(COMMENT, async (payload) => void (await handleCommentCommand(handlers, payload as IssueCommentPayload)));
  inbox.handle(PROTECTION_RULE, async (payload) => void (await handleProtectionRule(handlers, payload as ProtectionRulePayload)));

  const acceptAndWork = async (context: Context, kind: string, payload: { repository: { full_name: string }; installation?: { id: number } | null }): Promise<void> => {
    const installation = payload.installation?.id;
    if (installation) deps.rememberInstallation(payload.repository.full_name, installation);
    const key = `github:delivery:${context.id}`;
    // A store that cannot record the delivery throws: GitHub is answered 500 and nothing was done.
    if ((await inbox.accept(key, kind, payload)) === "duplicate") {
      deps.logger.info({ delivery: context.id }, "GitHub redelivered a webhook already accepted; nothing new done");
      return;
    }
    await inbox.work(key, kind, payload);
  };

  return (app) => {
    // Checked before any field is read: a malformed payload is a 400 that does nothing (check-payload.ts).
    app.on("pull_request.closed", async (context) => {
      const payload = checkPayload("pull_request.closed", context.payload);
      if (isMergeIntoDefaultBranch(payload)) await acceptAndWork(context, MERGE, payload);
    });
    app.on("issue_comment.created", async (context) => {
      const payload = checkPayload("issue_comment.created", context.payload);
      if (isCommandComment(payload)) await acceptAndWork(context, COMMENT, payload);
    });
    app.on("deployment_protection_rule.requested", async (context) => {
      await acceptAndWork(context, PROTECTION_RULE, checkPayload("deployment_protection_rule.requested", context.payload));
    });
  };
}
