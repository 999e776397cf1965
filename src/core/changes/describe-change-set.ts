import type { ChangeSet, ChangeSetPull } from "../model/change-set.js";

const short = (sha: string): string => sha.slice(0, 7);
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * One plain sentence for every surface (Slack card, PR comment, API, CLI): how many commits and
 * merged PRs a deploy ships or a rollback takes out, or plainly why that is not known.
 * No markup: each surface escapes it and adds its own links.
 */
export function describeChangeSet(changeSet: ChangeSet): string {
  const base = changeSet.baseSha ? short(changeSet.baseSha) : "the live release";
  const takesOut = changeSet.direction === "takes_out";
  switch (changeSet.status) {
    case "first_deploy":
      return "First deploy here: nothing was live, so there is nothing to compare with.";
    case "base_missing":
      return `The live release ${base} is not in the repository's history any more (force-pushed away?), so the changes cannot be listed.`;
    case "too_large":
      return `${takesOut ? "Takes out" : "Ships"} ${plural(changeSet.commitCount ?? 0, "commit")} ${takesOut ? `of ${base}, the live release` : `since ${base}`}: too many to list.`;
    case "failed":
    case "unavailable":
      return `Changes not listed. ${changeSet.detail ?? ""}`.trim();
    case "listed":
      return listedSentence(changeSet, base, takesOut);
  }
}

function listedSentence(changeSet: ChangeSet, base: string, takesOut: boolean): string {
  const commits = changeSet.commitCount ?? 0;
  if (commits === 0 && !changeSet.reverseCount) return `Nothing changes: ${short(changeSet.headSha)} is what is live.`;
  const pulls = changeSet.pullCount ? ` and ${plural(changeSet.pullCount, "merged PR")}` : "";
  const main = takesOut ? `Takes out ${plural(commits, "commit")}${pulls} of ${base}, the live release.` : `Ships ${plural(commits, "commit")}${pulls} since ${base}.`;
  if (!changeSet.reverseCount) return main;
  const other = takesOut
    ? `It also brings back ${plural(changeSet.reverseCount, "commit")} that ${changeSet.reverseCount === 1 ? "is" : "are"} not live now.`
    : `It also takes out ${plural(changeSet.reverseCount, "commit")} of ${base} that ${short(changeSet.headSha)} does not have (a force-push, or another branch).`;
  return `${main} ${other}`;
}

/** `#12 Retry on 503 — alice`; plain text, escaped by each surface. */
export function describePull(pull: ChangeSetPull): string {
  return `#${pull.number} ${pull.title}${pull.author ? ` — ${pull.author}` : ""}`;
}

/** How many merged PRs the change set counts but does not list. */
export function unlistedPulls(changeSet: ChangeSet): number {
  return Math.max(0, (changeSet.pullCount ?? 0) - changeSet.pulls.length);
}
