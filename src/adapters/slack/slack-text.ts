/**
 * Slack sends `&`, `<` and `>` typed by people as `&amp;`, `&lt;` and `&gt;`; its own markup
 * (`<@U123|alex>`, `<#C123|ops>`, links) arrives raw and is left as one word. Phones and macOS
 * turn quotes curly and `--` into a dash; undo that so `--reason “debate prep”` parses.
 */
export function commandTextFromSlack(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/(^|\s)[\u2014\u2013](?=[a-z])/g, "$1--")
    .replace(/\u00A0/g, " ")
    .trim();
}

/** Text shown in mrkdwn: people's words must not become mentions or links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mrkdwn link; the label is escaped, and `|` (which ends a label) is replaced. */
export function mrkdwnLink(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`;
}

/** Slack rejects blocks whose text is over its limits; cut long texts (errors, lists) with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * escapeMrkdwn, cut so the escaped text is at most `max` characters: never inside an entity
 * (`&amp;`) or a character, however many `&<>` the text holds.
 */
export function escapeMrkdwnWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = "";
  for (const char of text) {
    const piece = escapeMrkdwn(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}
