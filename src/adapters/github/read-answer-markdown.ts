import type { DoneResult } from "../../core/commands/command-result.js";
import { changeSetMarkdown, markdownText } from "./change-set-markdown.js";

/**
 * `diff` and `status` as a comment: every word that people or GitHub wrote (PR titles, logins,
 * refs, lock reasons) stays literal text — no formatting, links or @mentions — and the change set
 * looks as it does in the deploy's own PR comment. Undefined for any other result.
 */
export function readAnswerMarkdown(result: DoneResult): string | undefined {
  const lines = result.message.split("\n");
  if (result.diff) {
    return [
      markdownText(lines[0] ?? ""),
      ...changeSetMarkdown(result.diff.changeSet),
      `${result.diff.deployable ? "✅" : "🚫"} ${markdownText(result.diff.verdict)}`,
      "_Nothing was deployed: diff only looks._",
    ].join("\n");
  }
  if (result.serviceStatus) return lines.map((line, i) => (i === 0 ? `**${markdownText(line)}**` : `- ${markdownText(line)}`)).join("\n");
  return undefined;
}
