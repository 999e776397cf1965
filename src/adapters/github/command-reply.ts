import type { CommandResult, Refusal } from "../../core/commands/command-result.js";
import { readAnswerMarkdown } from "./read-answer-markdown.js";

/** What a comment command gets back on GitHub: a reaction, and a reply when there is something to say. */
export interface CommentAnswer {
  readonly reaction?: "-1";
  /** Markdown; absent when the deploy's own progress comment says it all. */
  readonly reply?: string;
}

const quote = (commandLine: string): string => `> ${commandLine.slice(0, 200)}`;

function refusal(result: Refusal): string {
  return `👎 **Not done** (\`${result.reasonCode}\`): ${result.message}`;
}

/**
 * Refusals get 👎 and the reason; a deploy that started, queued or waits is reported by its own
 * progress comment, so it needs no reply; anything else (deploys, locks, help) is answered in text.
 */
export function commentAnswer(result: CommandResult, commandLine: string, login: string): CommentAnswer {
  if (result.outcome === "ignored") return {};
  if (result.outcome === "refused") return { reaction: "-1", reply: [quote(commandLine), "", `@${login} ${refusal(result)}`].join("\n") };
  // Where approvals are asked for, the requester learns who may approve and the approver what their approval did.
  if (result.outcome !== "done") return result.record.approval ? { reply: [quote(commandLine), "", `@${login} ${result.message}`].join("\n") } : {};
  if (!result.message.trim()) return {};
  return { reply: [quote(commandLine), "", readAnswerMarkdown(result) ?? result.message].join("\n") };
}

/** One reply for a command that fanned out (a PR rolled back in several environments). */
export function fanOutAnswer(results: ReadonlyArray<{ env: string; result: CommandResult }>, commandLine: string, login: string): CommentAnswer {
  const lines = results.map(({ env, result }) =>
    result.outcome === "refused" ? `- **${env}**: 👎 \`${result.reasonCode}\` — ${result.message}` : `- **${env}**: ${"message" in result ? result.message : ""}`,
  );
  const allRefused = results.every(({ result }) => result.outcome === "refused");
  return { ...(allRefused ? { reaction: "-1" as const } : {}), reply: [quote(commandLine), "", `@${login}`, ...lines].join("\n") };
}
