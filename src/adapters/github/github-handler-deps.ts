import type { CommandRunner } from "../../core/commands/command-runner.js";
import type { WhistlestopConfig } from "../../core/model/config.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { Store } from "../../core/ports/store.js";
import type { GitHubApi } from "./github-api.js";

/** What the webhook handlers work with; none of it is a Probot Context. */
export interface GitHubHandlerDeps {
  readonly config: WhistlestopConfig;
  readonly runner: Pick<CommandRunner, "run" | "runText" | "reviewProtectionRule">;
  readonly store: Pick<Store, "listSucceeded" | "recordPullMerge">;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly api: GitHubApi;
  /** Commits GitHub vouched for in a payload need no lookup when they are deployed. */
  readonly rememberCommit: (repo: string, sha: string) => void;
  /** Someone who merged into the repository has write access to it; no lookup needed. */
  readonly vouchWriteAccess: (repo: string, login: string) => void;
  /** The GitHub API's base URL: protection-rule callbacks must point there. */
  readonly apiBaseUrl: string;
}

/** Lower-cased repository → its services, built once per configuration (every webhook asks). */
const servicesByRepo = new WeakMap<WhistlestopConfig, ReadonlyMap<string, readonly string[]>>();

/** The services whose `repo` is this repository (compared case-insensitively), in file order. */
export function servicesForRepo(config: WhistlestopConfig, fullName: string): string[] {
  let index = servicesByRepo.get(config);
  if (!index) {
    const built = new Map<string, string[]>();
    for (const [name, service] of Object.entries(config.services)) {
      const repo = service.repo.toLowerCase();
      built.set(repo, [...(built.get(repo) ?? []), name]);
    }
    servicesByRepo.set(config, built);
    index = built;
  }
  return [...(index.get(fullName.toLowerCase()) ?? [])];
}
