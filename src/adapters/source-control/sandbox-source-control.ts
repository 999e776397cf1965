import { MAX_COMPARED_COMMITS } from "../../core/model/change-set.js";
import type { Comparison, SourceControl } from "../../core/ports/source-control.js";
import { SANDBOX_DEFAULT_BRANCH, type SandboxHistory } from "./sandbox-history.js";
import { hoursSince, mergeHourlyPull, seedSandboxHistory } from "./sandbox-seed.js";

export interface SandboxSourceControlOptions {
  /** When this sandbox was first run (kept in data/sandbox.json): its histories are dated from it. */
  readonly startedAt: Date;
  readonly now: () => Date;
}

/**
 * Source control for the sandbox when no GitHub App is configured: every repository has a small
 * real history (see sandbox-seed.ts) that grows by one merged pull request an hour. Refs resolve
 * only to commits of that history, as they would on GitHub.
 */
export class SandboxSourceControl implements SourceControl {
  private readonly histories = new Map<string, { history: SandboxHistory; hours: number }>();
  readonly limitation = "This is the sandbox's made-up history: try `main`, `feature/faster-checkout`, `v1.0.0`, `v1.1.0` or a sha they point at.";

  constructor(private readonly options: SandboxSourceControlOptions) {}

  async resolveRef(repo: string, ref: string): Promise<string | undefined> {
    return this.history(repo).resolve(ref);
  }

  async defaultBranchHead(repo: string): Promise<string | undefined> {
    return this.history(repo).branchHead(SANDBOX_DEFAULT_BRANCH);
  }

  /**
   * GitHub's compare, answered from the history: the commits `head` has that `base` has not,
   * oldest first and at most as many as GitHub lists, with both counts. Squash merges carry
   * "(#n)" in their message, as GitHub writes them.
   */
  async compare(repo: string, base: string, head: string): Promise<Comparison> {
    const history = this.history(repo);
    const ahead = history.compare(base, head);
    const behind = history.compare(head, base);
    if (!ahead || !behind) return { kind: "unknown_commit" };
    const aheadBy = ahead.commits.length;
    const behindBy = behind.commits.length;
    const status = aheadBy > 0 && behindBy > 0 ? "diverged" : aheadBy > 0 ? "ahead" : behindBy > 0 ? "behind" : "identical";
    const commits = ahead.commits
      .slice(0, MAX_COMPARED_COMMITS)
      .reverse()
      .map((c) => ({ sha: c.sha, message: c.message, author: c.author, parents: c.parents }));
    return { kind: "compared", status, aheadBy, behindBy, commits };
  }

  /** The repository's history as of now; it only ever grows, so earlier answers stay true. */
  history(repo: string): SandboxHistory {
    const key = repo.toLowerCase();
    const { startedAt } = this.options;
    const entry = this.histories.get(key) ?? { history: seedSandboxHistory(key, startedAt), hours: 0 };
    this.histories.set(key, entry);
    const due = hoursSince(startedAt, this.options.now());
    for (; entry.hours < due; entry.hours++) mergeHourlyPull(entry.history, startedAt, entry.hours + 1);
    return entry.history;
  }
}
