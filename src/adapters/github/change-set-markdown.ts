import { describeChangeSet, unlistedPulls } from "../../core/changes/describe-change-set.js";
import type { ChangeSet } from "../../core/model/change-set.js";

/**
 * People's words (PR titles, logins) as literal text in a GitHub comment: no formatting, links or
 * HTML, and no @mention that would notify someone on every deploy.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_{}[\]<>~|!]/g, (char) => `\\${char}`)
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b")
    .replace(/\s+/g, " ");
}

/**
 * The PR comment's lines about what ships (or what a rollback takes out): the sentence with a
 * compare link, then the merged PRs, GitHub linking each `#n` itself.
 */
export function changeSetMarkdown(changeSet: ChangeSet): string[] {
  const heading = changeSet.direction === "takes_out" ? "**Takes out**" : "**Changes**";
  const compare = changeSet.compareUrl ? ` · [compare](${safeLinkTarget(changeSet.compareUrl)})` : "";
  const lines = [`${heading}: ${markdownText(describeChangeSet(changeSet))}${compare}`];
  for (const pull of changeSet.pulls) lines.push(`- #${pull.number} ${markdownText(pull.title)}${pull.author ? ` — ${markdownText(pull.author)}` : ""}`);
  const more = unlistedPulls(changeSet);
  if (more > 0) lines.push(`- …and ${more} more merged PR${more === 1 ? "" : "s"}`);
  return lines;
}

/** A URL as a markdown link's target: a parenthesis or space would end it early. */
function safeLinkTarget(url: string): string {
  return url.replace(/[()\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
