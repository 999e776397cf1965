import type { CommandResult, Refusal } from "../../core/commands/command-result.js";
import type { Actor } from "../../core/model/actor.js";
import { servicesForRepo, type GitHubHandlerDeps } from "./github-handler-deps.js";
import type { PullRequestClosedPayload } from "./webhook-payloads.js";

/** Whether this closed pull request is a merge into the default branch: what starts `on_merge` deploys. */
export function isMergeIntoDefaultBranch(payload: PullRequestClosedPayload): boolean {
  const pr = payload.pull_request;
  return payload.action === "closed" && pr.merged === true && !!pr.merge_commit_sha && pr.base.ref === payload.repository.default_branch;
}

/**
 * A merge deploys the merge commit to every env in each matching service's on_merge, as an
 * automatic deploy (a newer merge supersedes it while it is still queued). The merge commit and
 * the env make the idempotency key, so no retry or replica can start it twice.
 */
export async function handleMerge(deps: GitHubHandlerDeps, payload: PullRequestClosedPayload): Promise<CommandResult[]> {
  const pr = payload.pull_request;
  const repo = payload.repository.full_name;
  const sha = pr.merge_commit_sha!.toLowerCase();
  deps.rememberCommit(repo, sha);
  const merger = pr.merged_by?.login ?? payload.sender.login;
  // Merging takes write access, so the merge itself answers the permission question.
  deps.vouchWriteAccess(repo, merger);
  const actor: Actor = { surface: "github", name: merger, login: merger };
  const services = servicesForRepo(deps.config, repo);
  const targets = services.flatMap((service) => (deps.config.services[service]?.onMerge ?? []).map((env) => ({ service, env })));
  const results = await Promise.all(
    targets.map(async ({ service, env }) => {
      const result = await deps.runner.run(
        // GitHub named the merge commit: it is deployed as it is, with no lookup.
        { verb: "deploy", service, env, ref: sha, sha, force: false, yes: true },
        { actor, automatic: true, idempotencyKey: `github:merge:${repo.toLowerCase()}:${sha}:${service}:${env}`, githubRepo: repo, prNumber: pr.number },
      );
      if (result.outcome === "refused") await reportRefusal(deps, repo, pr.number, service, env, result);
      return result;
    }),
  );
  // After the starts: the merge time is the PR's own, read from the payload, and a metric must
  // not delay a deploy (lead time is joined with it when it is read).
  await recordMerge(deps, services, repo, pr.number, sha, pr.merged_at);
  return results;
}

/**
 * When the PR was merged, per service of the repository: lead time for changes runs from here to
 * the PR's first time live in each environment. A metric, never a gate: a store that cannot take
 * it is logged and the merge deploys as usual.
 */
async function recordMerge(deps: GitHubHandlerDeps, services: readonly string[], repo: string, number: number, mergeSha: string, mergedAt: string | null | undefined): Promise<void> {
  const at = mergedAt && !Number.isNaN(Date.parse(mergedAt)) ? new Date(mergedAt).toISOString() : deps.clock.now().toISOString();
  for (const service of services) {
    try {
      await deps.store.recordPullMerge({ service, repo, number, mergeSha, mergedAt: at });
    } catch (error) {
      deps.logger.warn({ err: error, repo, number, service }, "could not record when the pull request was merged; its lead time will be missing");
    }
  }
}

/** A merge deploy that did not happen must not go unnoticed: say so on the pull request. */
async function reportRefusal(deps: GitHubHandlerDeps, repo: string, number: number, service: string, env: string, result: Refusal): Promise<void> {
  const body = `👎 This merge was **not deployed** to ${service}/${env} (\`${result.reasonCode}\`): ${result.message}`;
  try {
    await deps.api.createComment(repo, number, body);
  } catch (error) {
    deps.logger.warn({ err: error, repo, number, service, env }, "could not tell the pull request that its merge was not deployed");
  }
}
