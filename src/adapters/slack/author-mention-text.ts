import type { ShipNews } from "../../core/changes/ship-news.js";
import type { PullRef } from "../../core/model/change-set.js";
import { escapeMrkdwn, mrkdwnLink } from "./slack-text.js";

export interface MentionFacts {
  readonly news: ShipNews;
  readonly env: string;
  /** Slack user per GitHub login in lower case; a login missing here is named, not mentioned. */
  readonly slackUsers: ReadonlyMap<string, string>;
  /** The PR's page, when the repository is known. */
  readonly pullUrl?: (number: number) => string;
}

/**
 * Slack folds long messages; a reply that names 250 PRs stays readable by dropping the links
 * first, then the numbers. The mentions themselves stay, up to a hard cap well inside Slack's
 * 40,000 characters (250 authors with the longest logins GitHub allows fit).
 */
export const MAX_MENTION_TEXT = 3_500;
const HARD_CAP = 15_000;

interface Author {
  /** `<@U…>` or the escaped login. */
  readonly who: string;
  readonly pulls: number[];
}

/**
 * The one thread reply that tells a deploy's authors it ended:
 * `🚢 Shipped to *prod*: <@U1> (#12, #15), carol (#14)`, or for a failed deploy
 * `⚠️ Not shipped to *prod*: the deploy failed. …`. Authors come in the order of their newest PR.
 */
export function authorMentionText(facts: MentionFacts): string {
  const env = escapeMrkdwn(facts.env);
  const lead = facts.news.kind === "shipped" ? `🚢 Shipped to *${env}*:` : `⚠️ Not shipped to *${env}*: the deploy failed. Its PRs:`;
  const authors = groupByAuthor(facts.news.pulls, facts.slackUsers);
  const withLinks = `${lead} ${authors.map((a) => `${a.who} (${a.pulls.map((n) => pullLabel(n, facts.pullUrl)).join(", ")})`).join(", ")}`;
  if (withLinks.length <= MAX_MENTION_TEXT) return withLinks;
  const plain = `${lead} ${authors.map((a) => `${a.who} (${a.pulls.map((n) => `#${n}`).join(", ")})`).join(", ")}`;
  if (plain.length <= MAX_MENTION_TEXT) return plain;
  const counted = `${lead} ${authors.map((a) => `${a.who} (${a.pulls.length === 1 ? `#${a.pulls[0]}` : `${a.pulls.length} PRs`})`).join(", ")}`;
  return counted.length <= HARD_CAP ? counted : `${counted.slice(0, HARD_CAP - 1)}…`;
}

function groupByAuthor(pulls: readonly PullRef[], slackUsers: ReadonlyMap<string, string>): Author[] {
  const byKey = new Map<string, Author>();
  for (const pull of pulls) {
    const login = pull.author?.replace(/^@/, "");
    const key = login ? login.toLowerCase() : "";
    let author = byKey.get(key);
    if (!author) {
      const user = login ? slackUsers.get(key) : undefined;
      author = { who: user ? `<@${user}>` : login ? escapeMrkdwn(login) : "author unknown", pulls: [] };
      byKey.set(key, author);
    }
    author.pulls.push(pull.number);
  }
  // PRs whose author GitHub did not say go last, whatever their number.
  return [...byKey.entries()].sort(([a], [b]) => Number(a === "") - Number(b === "")).map(([, author]) => author);
}

function pullLabel(number: number, pullUrl: MentionFacts["pullUrl"]): string {
  return pullUrl ? mrkdwnLink(pullUrl(number), `#${number}`) : `#${number}`;
}
