import type { RollbackCommand } from "../../core/commands/command.js";
import type { CommandResult } from "../../core/commands/command-result.js";
import { shortSha } from "../../core/commands/deploy-view.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import { commentAnswer, fanOutAnswer, type CommentAnswer } from "./command-reply.js";
import type { GitHubHandlerDeps } from "./github-handler-deps.js";

interface Asked {
  readonly line: string;
  readonly login: string;
  readonly context: RequestContext;
}

/**
 * `/rollback` on a merged PR with no env rolls back every env where that PR's merge
 * commit is the live release. Each env is its own rollback through the core (its own policies and
 * idempotency key); the answer is one reply that lists them.
 */
export async function rollbackMergedPullRequest(deps: GitHubHandlerDeps, command: RollbackCommand, mergeSha: string, asked: Asked): Promise<CommentAnswer> {
  const sha = mergeSha.toLowerCase();
  const envs: string[] = [];
  for (const env of Object.keys(deps.config.environments)) {
    const [live] = await deps.store.listSucceeded(command.service, env, 1);
    if (live?.sha.toLowerCase() === sha) envs.push(env);
  }
  if (envs.length === 0) {
    const result: CommandResult = {
      outcome: "refused",
      reasonCode: "not_found",
      message: `This pull request's merge commit ${shortSha(sha)} is not live in any environment of ${command.service}, so there is nothing to roll back. Name one to roll it back anyway: \`/rollback <env>\`.`,
    };
    return commentAnswer(result, asked.line, asked.login);
  }
  const results = [];
  for (const env of envs) {
    const context: RequestContext = { ...asked.context, idempotencyKey: `${asked.context.idempotencyKey}:${env}` };
    results.push({ env, result: await deps.runner.run({ ...command, env }, context) });
  }
  return fanOutAnswer(results, asked.line, asked.login);
}
