import { MAX_PULL_TITLE, type ChangeSetPull } from "../model/change-set.js";
import type { ComparedCommit } from "../ports/source-control.js";

/** GitHub's merge commit: "Merge pull request #123 from owner/branch", the PR's title after a blank line. */
const MERGE_COMMIT = /^Merge pull request #(\d{1,9}) from \S+/;
/** GitHub's squash merge: the PR's title, then " (#123)". */
const SQUASH_COMMIT = /^(.*\S)\s+\(#(\d{1,9})\)$/;

/**
 * The pull requests a range of commits merged, newest first, read from the commit messages
 * GitHub writes when it merges one — no extra call per commit:
 * - a squash merge's first line is "Title (#123)" and its author is the PR's author;
 * - a merge commit says "Merge pull request #123 from …" with the title below; the PR's author
 *   wrote its branch, so it is the author of the merge's second parent when that is listed.
 * PRs merged by rebase leave no trace in the messages: their commits are counted, not listed as PRs.
 * `commits` are oldest first (GitHub's order); a PR named twice (a revert names the original) counts once.
 */
export function mergedPulls(commits: readonly ComparedCommit[]): ChangeSetPull[] {
  const authors = new Map(commits.map((c) => [c.sha, c.author]));
  const pulls: ChangeSetPull[] = [];
  const seen = new Set<number>();
  for (let i = commits.length - 1; i >= 0; i--) {
    const pull = pullOf(commits[i]!, authors);
    if (!pull || seen.has(pull.number)) continue;
    seen.add(pull.number);
    pulls.push(pull);
  }
  return pulls;
}

function pullOf(commit: ComparedCommit, authors: ReadonlyMap<string, string | undefined>): ChangeSetPull | undefined {
  const [subject = "", ...body] = commit.message.split(/\r?\n/);
  const merge = MERGE_COMMIT.exec(subject);
  if (merge) {
    const title = body.find((line) => line.trim() !== "")?.trim() ?? subject;
    const branchTip = commit.parents[1];
    const author = branchTip ? authors.get(branchTip) : undefined;
    return { number: Number(merge[1]), title: clipTitle(title), ...(author ? { author } : {}) };
  }
  const squash = SQUASH_COMMIT.exec(subject.trim());
  if (squash) return { number: Number(squash[2]), title: clipTitle(squash[1]!), ...(commit.author ? { author: commit.author } : {}) };
  return undefined;
}

function clipTitle(title: string): string {
  const flat = title.replace(/\s+/g, " ").trim();
  return flat.length <= MAX_PULL_TITLE ? flat : `${flat.slice(0, MAX_PULL_TITLE - 1)}…`;
}
