import type { ApplicationFunction, Context } from "probot";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { Store } from "../../core/ports/store.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";
import { handleCommentCommand, isCommandComment } from "./handle-comment-command.js";
import { handleMerge, isMergeIntoDefaultBranch } from "./handle-merge.js";
import { handleProtectionRule } from "./handle-protection-rule.js";
import { checkPayload } from "./check-payload.js";

export interface ProbotAppDeps {
  readonly handlers: GitHubHandlerDeps;
  readonly store: Pick<Store, "recordKey">;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A webhook names the installation of its repository: remember it, no lookup needed later. */
  readonly rememberInstallation: (repo: string, installationId: number) => void;
}

interface Delivery<P> {
  readonly id: string;
  readonly payload: P;
}

/**
 * The Probot app: three events in, plain handler calls out (no handler sees a Context). Each
 * delivery that would act is recorded in the store first, so a redelivery (same
 * X-GitHub-Delivery) does nothing new — across restarts and replicas.
 */
export function whistlestopProbotApp(deps: ProbotAppDeps): ApplicationFunction {
  const firstTime = async (delivery: Delivery<{ repository: { full_name: string }; installation?: { id: number } | null }>): Promise<boolean> => {
    const installation = delivery.payload.installation?.id;
    if (installation) deps.rememberInstallation(delivery.payload.repository.full_name, installation);
    const first = await deps.store.recordKey(`github:delivery:${delivery.id}`, deps.clock.now().toISOString());
    if (!first) deps.logger.info({ delivery: delivery.id }, "GitHub redelivered a webhook already handled; nothing new done");
    return first;
  };
  // Checked before any field is read: a malformed payload is a 400 that does nothing (check-payload.ts).
  const delivery = <E extends Parameters<typeof checkPayload>[0]>(context: Context, event: E) => ({ id: context.id, payload: checkPayload(event, context.payload) });

  return (app) => {
    app.on("pull_request.closed", async (context) => {
      const event = delivery(context, "pull_request.closed");
      if (!isMergeIntoDefaultBranch(event.payload) || !(await firstTime(event))) return;
      await handleMerge(deps.handlers, event.payload);
    });
    app.on("issue_comment.created", async (context) => {
      const event = delivery(context, "issue_comment.created");
      if (!isCommandComment(event.payload) || !(await firstTime(event))) return;
      await handleCommentCommand(deps.handlers, event.payload);
    });
    app.on("deployment_protection_rule.requested", async (context) => {
      const event = delivery(context, "deployment_protection_rule.requested");
      if (!(await firstTime(event))) return;
      await handleProtectionRule(deps.handlers, event.payload);
    });
  };
}
