import type { Command } from "../../core/commands/command.js";
import type { CommandResult } from "../../core/commands/command-result.js";
import { githubCommandLine, parseCommand } from "../../core/commands/parse-command.js";
import type { RequestContext } from "../../core/commands/request-context.js";
import type { Actor } from "../../core/model/actor.js";
import { commentAnswer, type CommentAnswer } from "./command-reply.js";
import type { PullRequestFacts } from "./github-api.js";
import { servicesForRepo, type GitHubHandlerDeps } from "./github-handler-deps.js";
import { describeFailure, sameRepo } from "./github-request.js";
import { rollbackMergedPullRequest } from "./rollback-merged-pr.js";
import { isBot, type IssueCommentPayload } from "./webhook-payloads.js";

/**
 * The first line, when it is a command (only the first line counts; quotes are conversation) — as
 * the parser reads it, so another bot's `/approve` gets no 👀 either.
 */
export function commandLineOf(body: string | null | undefined): string | undefined {
  return githubCommandLine(body ?? "");
}

/** Whether a new comment is a command Whistlestop should answer at all. */
export function isCommandComment(payload: IssueCommentPayload): boolean {
  return payload.action === "created" && !isBot(payload.comment.user) && !isBot(payload.sender) && commandLineOf(payload.comment.body) !== undefined;
}

/**
 * A comment command: 👀 at once, then the command through the core with the repository's
 * services; on an open PR a deploy without a ref deploys the PR head (a branch deploy), and a
 * rollback without an env on a merged PR rolls back wherever its merge commit is live.
 * Refusals get 👎 and a reply with the reason.
 */
export async function handleCommentCommand(deps: GitHubHandlerDeps, payload: IssueCommentPayload): Promise<CommentAnswer> {
  const repo = payload.repository.full_name;
  const comment = payload.comment;
  const line = commandLineOf(comment.body)!;
  const login = comment.user!.login;
  // Not awaited before the command runs: GitHub paces writes, and a deploy must not wait on an emoji.
  const seen = bestEffort(deps, "👀", () => deps.api.addReaction(repo, comment.id, "eyes"));

  const actor: Actor = { surface: "github", name: login, login };
  const context: RequestContext = { actor, idempotencyKey: `github:comment:${comment.id}`, githubRepo: repo, prNumber: payload.issue.number, commandCommentId: comment.id };
  const repoServices = servicesForRepo(deps.config, repo);
  const command = parse(deps, line, repoServices);
  let answer: CommentAnswer;
  if (command && needsPullRequest(command) && payload.issue.pull_request) {
    const pr = await readPullRequest(deps, repo, payload.issue.number);
    answer = "failed" in pr ? commentAnswer(pr.failed, line, login) : await runOnPullRequest(deps, command, pr, { repo, line, login, context: withHead(context, pr) });
  } else {
    answer = commentAnswer(await deps.runner.runText(line, context, { repoServices }), line, login);
  }
  // 👀 first, then the answer: the reactions read in the order things happened.
  await seen;
  await deliver(deps, repo, payload.issue.number, comment.id, answer);
  return answer;
}

/** The PR decides the ref or the environments; without it nothing is run, and the commenter is told. */
async function readPullRequest(deps: GitHubHandlerDeps, repo: string, number: number): Promise<PullRequestFacts | { failed: CommandResult }> {
  try {
    return await deps.api.getPullRequest(repo, number);
  } catch (error) {
    deps.logger.warn({ err: error, repo, number }, "could not read a pull request for a comment command");
    return {
      failed: {
        outcome: "refused",
        reasonCode: "internal_error",
        message: `Whistlestop could not read this pull request from GitHub (${describeFailure(error)}), so nothing was done. Comment again in a minute.`,
      },
    };
  }
}

interface Asked {
  readonly repo: string;
  readonly line: string;
  readonly login: string;
  readonly context: RequestContext;
}

async function runOnPullRequest(deps: GitHubHandlerDeps, command: Command, pr: PullRequestFacts, asked: Asked): Promise<CommentAnswer> {
  // The PR's commits belong to this repository only; another repo's service keeps its own default.
  const service = "service" in command ? command.service : undefined;
  const ownService = service !== undefined && sameRepo(deps.config.services[service]?.repo ?? "", asked.repo);
  // A branch deploy, or what one would ship (`/diff <env>`): the PR's head.
  if ((command.verb === "deploy" || command.verb === "diff") && command.ref === undefined && pr.state === "open" && ownService) {
    deps.rememberCommit(asked.repo, pr.headSha);
    return commentAnswer(await deps.runner.run({ ...command, ref: pr.headSha }, asked.context), asked.line, asked.login);
  }
  if (command.verb === "rollback" && pr.merged && pr.mergeCommitSha && ownService) {
    return rollbackMergedPullRequest(deps, { ...command, verb: "rollback" }, pr.mergeCommitSha, asked);
  }
  return commentAnswer(await deps.runner.run(command, asked.context), asked.line, asked.login);
}

/**
 * Only these depend on the pull request: a deploy (its head decides the ref, and whether it comes
 * from a fork), a diff without a ref (what that deploy would ship) and a rollback of the PR's merge. Everything else goes straight to the core.
 */
function needsPullRequest(command: Command): boolean {
  return command.verb === "deploy" || (command.verb === "diff" && command.ref === undefined) || (command.verb === "rollback" && command.env === undefined && command.target === undefined);
}

/** An open pull request tells the core where its head lives, so the core can refuse a fork's code. */
function withHead(context: RequestContext, pr: PullRequestFacts): RequestContext {
  return pr.state === "open" ? { ...context, pullRequestHead: { repo: pr.headRepo } } : context;
}

/** The parse the core will make, to see whether the PR must fill in a ref or the environments. */
function parse(deps: GitHubHandlerDeps, line: string, repoServices: readonly string[]): Command | undefined {
  const parsed = parseCommand(line, {
    surface: "github",
    services: Object.keys(deps.config.services),
    environments: Object.keys(deps.config.environments),
    repoServices,
    timezone: deps.config.timezone,
    now: deps.clock.now(),
  });
  return parsed.kind === "command" ? parsed.command : undefined;
}

async function deliver(deps: GitHubHandlerDeps, repo: string, number: number, commentId: number, answer: CommentAnswer): Promise<void> {
  await Promise.all([
    answer.reaction ? bestEffort(deps, "👎", () => deps.api.addReaction(repo, commentId, answer.reaction!)) : undefined,
    answer.reply ? bestEffort(deps, "reply", () => deps.api.createComment(repo, number, answer.reply!)) : undefined,
  ]);
}

/** The command already ran; a reaction or reply that GitHub refuses is logged, not retried by redelivery. */
async function bestEffort(deps: GitHubHandlerDeps, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.logger.warn({ err: error, what }, "could not answer a GitHub comment");
  }
}
