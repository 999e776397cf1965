import type { Target, WhistlestopConfig } from "../model/config.js";
import { allow, deny, type Decision } from "./decision.js";

/** Where a request made on a pull request came from: its base repository and its head's. */
export interface PullRequestOrigin {
  /** The repository the pull request was opened against (where the command was typed). */
  readonly baseRepo?: string;
  /** Set only for an open pull request; null when the head repository is gone (a deleted fork). */
  readonly head?: { readonly repo: string | null };
}

/**
 * A deploy asked for on an open pull request whose head lives in a fork is refused: anyone can
 * open one, and its code has not been reviewed by anyone with write access to the repository.
 * A head repository that cannot be told (deleted fork) counts as a fork. A service opts in with
 * `allow_fork_deploys: true`.
 */
export function forkPolicy(config: WhistlestopConfig, target: Pick<Target, "service" | "repo">, origin: PullRequestOrigin): Decision {
  const head = origin.head;
  if (!head) return allow();
  const base = origin.baseRepo ?? target.repo;
  if (head.repo !== null && head.repo.toLowerCase() === base.toLowerCase()) return allow();
  if (config.services[target.service]?.allowForkDeploys) return allow();
  const from = head.repo ? `a fork (${head.repo})` : "a fork that no longer exists";
  return deny(
    "fork_not_allowed",
    `This pull request comes from ${from}, so Whistlestop will not deploy from it: a fork's code has not been reviewed by anyone with write access to ${base}. ` +
      `Push the branch to ${base} and deploy from a pull request there, deploy a ref of ${base} from Slack or the CLI, ` +
      `or, if ${target.service} accepts deploys from forks, set allow_fork_deploys: true under services.${target.service} in whistlestop.yml.`,
  );
}
