import type { SourceControl } from "../../core/ports/source-control.js";
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
