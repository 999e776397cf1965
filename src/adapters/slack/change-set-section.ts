import { describeChangeSet } from "../../core/changes/describe-change-set.js";
import type { ChangeSet, ChangeSetPull } from "../../core/model/change-set.js";
import type { SlackBlock } from "./slack-api.js";
import { escapeMrkdwnWithin, mrkdwnLink } from "./slack-text.js";

/** A card stays readable on a phone: each PR on one short line. */
const TITLE_ON_CARD = 100;
/** The sentence (with a failure's detail) before the list. */
const SENTENCE_ON_CARD = 800;
/** Slack's limit for a section's text is 3000 characters; the "…and N more" line needs a little room. */
const SECTION_TEXT = 2900;
const MORE_LINE_ROOM = 40;

/**
 * The card's one section about what ships: the plain sentence with a compare link, then the
 * merged PRs (up to ten) and how many more there are. One block whatever the size of the change
 * set, and PR lines stop before Slack's text limit, so a 300-commit deploy keeps the card inside
 * Block Kit's limits.
 */
export function changeSetSection(changeSet: ChangeSet, repoUrl?: string): SlackBlock {
  const heading = changeSet.direction === "takes_out" ? "*Takes out*" : "*Changes*";
  const compare = changeSet.compareUrl ? `  ${mrkdwnLink(changeSet.compareUrl, "Compare")}` : "";
  const lines = [`${heading}  ${escapeMrkdwnWithin(describeChangeSet(changeSet), SENTENCE_ON_CARD)}${compare}`];
  let length = lines[0]!.length;
  let shown = 0;
  for (const pull of changeSet.pulls) {
    const line = pullLine(pull, repoUrl);
    if (length + 1 + line.length > SECTION_TEXT - MORE_LINE_ROOM) break;
    lines.push(line);
    length += 1 + line.length;
    shown += 1;
  }
  const more = Math.max(changeSet.pullCount ?? 0, changeSet.pulls.length) - shown;
  if (more > 0) lines.push(`_…and ${more} more merged PR${more === 1 ? "" : "s"}_`);
  return { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } };
}

/** `• #12 Retry on 503 — alice`, the number linked to the PR when the repository's URL is known. */
function pullLine(pull: ChangeSetPull, repoUrl: string | undefined): string {
  const number = repoUrl ? mrkdwnLink(`${repoUrl}/pull/${pull.number}`, `#${pull.number}`) : `#${pull.number}`;
  return `• ${number} ${escapeMrkdwnWithin(pull.title, TITLE_ON_CARD)}${pull.author ? ` — ${escapeMrkdwnWithin(pull.author, 40)}` : ""}`;
}
