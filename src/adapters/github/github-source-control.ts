import type { Comparison, SourceControl } from "../../core/ports/source-control.js";
import { compareOnGitHub } from "./github-compare.js";
import { describeFailure, isNotFound, splitRepo, statusOf, type GitHubRequest } from "./github-request.js";
import { TtlCache } from "./ttl-cache.js";

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * Refs resolved on GitHub (GET /repos/{o}/{r}/commits/{ref}). A full sha GitHub already vouched for
 * (a merge commit or PR head from a webhook, or one looked up before) needs no second lookup:
 * commits do not change.
 */
export class GitHubSourceControl implements SourceControl {
  private readonly knownCommits = new Set<string>();
  private readonly defaultBranches: TtlCache<string>;

  constructor(
    private readonly clients: { forRepo(repo: string): Promise<GitHubRequest> },
    options: { now?: () => number; defaultBranchTtlMs?: number } = {},
  ) {
    this.defaultBranches = new TtlCache(options.defaultBranchTtlMs ?? 5 * 60_000, options.now ?? Date.now);
  }

  /** GitHub told us this commit exists in the repo (webhook payload, PR head). */
  rememberCommit(repo: string, sha: string): void {
    if (this.knownCommits.size > 50_000) this.knownCommits.clear();
    this.knownCommits.add(commitKey(repo, sha));
  }

  async resolveRef(repo: string, ref: string): Promise<string | undefined> {
    const lower = ref.toLowerCase();
    if (FULL_SHA.test(lower) && this.knownCommits.has(commitKey(repo, lower))) return lower;
    const sha = await this.commitSha(repo, ref);
    if (sha) this.rememberCommit(repo, sha);
    return sha;
  }

  async defaultBranchHead(repo: string): Promise<string | undefined> {
    const branch = await this.defaultBranches.get(repo.toLowerCase(), () => this.defaultBranch(repo));
    return this.commitSha(repo, branch);
  }

  /** One compare call; the core caches its answer by (repo, base, head). */
  async compare(repo: string, base: string, head: string): Promise<Comparison> {
    return compareOnGitHub(await this.clients.forRepo(repo), repo, base, head);
  }

  private async defaultBranch(repo: string): Promise<string> {
    const request = await this.clients.forRepo(repo);
    const { data } = await request("GET /repos/{owner}/{repo}", { ...splitRepo(repo) });
    const branch = (data as { default_branch?: unknown }).default_branch;
    if (typeof branch !== "string") throw new Error(`GitHub did not say which branch is the default of ${repo}`);
    return branch;
  }

  private async commitSha(repo: string, ref: string): Promise<string | undefined> {
    const request = await this.clients.forRepo(repo);
    try {
      const { data } = await request("GET /repos/{owner}/{repo}/commits/{ref}", { ...splitRepo(repo), ref });
      const sha = (data as { sha?: unknown }).sha;
      return typeof sha === "string" ? sha.toLowerCase() : undefined;
    } catch (error) {
      // 404: no such ref; 422: not a valid ref (or an ambiguous short sha). Either way, not found.
      if (isNotFound(error) || statusOf(error) === 422) return undefined;
      throw new Error(`Could not look up \`${ref}\` in ${repo} on GitHub (${describeFailure(error)}). Try again in a minute.`, { cause: error });
    }
  }
}

const commitKey = (repo: string, sha: string) => `${repo.toLowerCase()}@${sha.toLowerCase()}`;
