/** A pull request merged by one of a change set's commits. */
export interface ChangeSetPull {
  readonly number: number;
  readonly title: string;
  /** GitHub login of the PR's author; absent when the commits do not say (a merge commit whose branch is not listed). */
  readonly author?: string;
}

/** A merged PR by number and author only: enough to tell its author that it shipped and to comment on it. */
export interface PullRef {
  readonly number: number;
  readonly author?: string;
}

/**
 * - `listed`: the commits were compared; count and merged PRs are known.
 * - `first_deploy`: nothing was live in the environment, so there is nothing to compare with.
 * - `base_missing`: the live release's commit is not in the repository any more (force-pushed
 *   away) or shares no history with the sha going out.
 * - `too_large`: more commits than the compare lists; the count is known, the PRs are not.
 * - `failed`: the compare could not be made (GitHub down, no access); the deploy went ahead.
 * - `unavailable`: this Whistlestop cannot compare commits (no GitHub configured).
 */
export type ChangeSetStatus = "listed" | "first_deploy" | "base_missing" | "too_large" | "failed" | "unavailable";

/**
 * `ships`: what the sha going out adds to the live release. `takes_out`: what going back to it
 * removes from the live release (a rollback, or a deploy of an older commit).
 */
export type ChangeSetDirection = "ships" | "takes_out";

/**
 * What a deploy changes in its environment: the commits between the release live there and the
 * sha going out. It is information, never a gate: whatever goes wrong computing it, the deploy
 * goes ahead and the change set says what could not be known.
 */
export interface ChangeSet {
  readonly status: ChangeSetStatus;
  readonly direction: ChangeSetDirection;
  /** The sha live in the environment when the deploy was requested; absent on a first deploy. */
  readonly baseSha?: string;
  /** The sha the deploy puts live. */
  readonly headSha: string;
  /** Commits shipped (or taken out); absent when unknown. */
  readonly commitCount?: number;
  /** Up to MAX_LISTED_PULLS merged PRs, newest first. */
  readonly pulls: readonly ChangeSetPull[];
  /** How many merged PRs the commits name in all (more than `pulls` holds when over the limit). */
  readonly pullCount?: number;
  /**
   * Every merged PR the commits name, newest first, as number and author: whom to tell that their
   * change shipped. As long as `pullCount` (the compare lists at most MAX_COMPARED_COMMITS commits).
   * Absent on change sets recorded before it was kept: `pulls` is all that is known of those.
   */
  readonly allPulls?: readonly PullRef[];
  /**
   * When the two shas diverged (a force-push, or a deploy from another branch): the commits going
   * the other way — taken out by a deploy, brought back by a rollback.
   */
  readonly reverseCount?: number;
  /** A page showing the same comparison (GitHub's compare view), when there is one. */
  readonly compareUrl?: string;
  /** Why nothing is listed (`failed`, `unavailable`), in words for people. */
  readonly detail?: string;
  readonly computedAt: string;
}

/** The most merged PRs a change set lists; the rest are counted. */
export const MAX_LISTED_PULLS = 10;
/** Longest PR title kept (GitHub allows 256 characters). */
export const MAX_PULL_TITLE = 200;
/**
 * GitHub's compare lists at most this many commits when asked without paging; a longer range
 * is counted but not listed (the sandbox keeps the same limit, so it behaves like GitHub).
 */
export const MAX_COMPARED_COMMITS = 250;
