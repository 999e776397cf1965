import { SLACK_ONLY_VERBS, VERBS, type Verb } from "./command.js";
import { commandHelpText, isPlainText } from "./command-help-text.js";
import { extractCommandFlags, NO_FLAGS } from "./extract-command-flags.js";
import type { ParseContext, ParseResult } from "./parse-result.js";
import { parseVerbArguments, usageError } from "./parse-verb-arguments.js";
import { resolveCommandName } from "./resolve-command-name.js";
import { suggestName } from "./suggest-name.js";
import { showWord, tokenizeCommand, type CommandToken } from "./tokenize-command.js";

const IGNORE: ParseResult = { kind: "ignore" };
/**
 * Far above any real command (a long --reason included), and far below what a GitHub comment's
 * first line may hold: longer text is refused before it is tokenized.
 */
export const MAX_COMMAND_LENGTH = 4096;

/** "/Deploy" → "deploy"; phones capitalise the first word, GitHub and habit add the slash. */
function verbOf(word: string): Verb | undefined {
  const name = word.replace(/^\//, "").toLowerCase();
  return (VERBS as readonly string[]).includes(name) ? (name as Verb) : undefined;
}

function help(context: ParseContext): ParseResult {
  return { kind: "reply", reply: { type: "help", text: commandHelpText(context.surface) } };
}

function unknownCommand(word: string, context: ParseContext): ParseResult {
  const suggestion = suggestName(word.replace(/^\//, ""), VERBS);
  const guess = suggestion ? ` — did you mean "${suggestion}"?` : "";
  const helpWord = isPlainText(context.surface) ? "help" : "/deploy help";
  return {
    kind: "reply",
    reply: { type: "error", reasonCode: "bad_command", message: `unknown command ${showWord(word)}${guess}\nCommands: ${VERBS.join(", ")} — ${helpWord} explains them` },
  };
}

function tooLong(line: string): ParseResult {
  const count = (n: number) => n.toLocaleString("en-US");
  return {
    kind: "reply",
    reply: {
      type: "error",
      reasonCode: "bad_command",
      message: `that command is ${count(line.length)} characters long; commands are at most ${count(MAX_COMMAND_LENGTH)} — shorten the reason`,
    },
  };
}

/**
 * Under a default verb (Slack's `/deploy …`) a first word that is no service but is one typo away
 * from a verb ("lokc donations prod") was meant as that verb.
 */
function looksLikeMistypedVerb(word: CommandToken, context: ParseContext): boolean {
  if (word.quoted || word.text.startsWith("-")) return false;
  const known = [...context.services, ...context.environments, "all"];
  if (resolveCommandName(word.text, known)) return false;
  return suggestName(word.text, VERBS) !== undefined && suggestName(word.text, context.services) === undefined;
}

/** Prow and review bots use a bare `/approve` (or `/approve cancel`); only one naming a deploy is Whistlestop's. */
const FOREIGN_APPROVALS = /^\/(?:approve|reject)(?:\s+(?:cancel|no-issue))?\s*$/i;

/** GitHub: only a first line that starts with "/" and a verb is a command; anything else is conversation. */
export function githubCommandLine(text: string): string | undefined {
  const firstLine = (text.split(/\r?\n|\r/, 1)[0] ?? "").trim();
  const verb = /^\/([A-Za-z]+)(?=\s|$)/.exec(firstLine)?.[1];
  return verb && verbOf(verb) && !FOREIGN_APPROVALS.test(firstLine) ? firstLine : undefined;
}

/**
 * The parser itself, unguarded: a bug in it throws. Surfaces call parseCommand; the fuzz and
 * property tests call this, so a crash shows up as a failure instead of a polite reply.
 */
export function parseCommandUnguarded(text: string, context: ParseContext): ParseResult {
  let line = text;
  if (context.surface === "github") {
    const commandLine = githubCommandLine(text);
    if (commandLine === undefined) return IGNORE;
    line = commandLine;
  }
  if (line.length > MAX_COMMAND_LENGTH) return tooLong(line);
  const tokenized = tokenizeCommand(line);
  if (!tokenized.ok) {
    const verb = verbOf(line.trim().split(/\s+/, 1)[0] ?? "") ?? context.defaultVerb;
    return verb && verb !== "help" ? usageError(verb, context, tokenized.message) : unknownCommand(line.trim().split(/\s+/, 1)[0] ?? "", context);
  }
  const [first, ...others] = tokenized.tokens;
  if (!first) {
    // Slack's `/deploys` or `/windows` alone is a complete command; `/deploy` alone asks for help.
    const verb = context.defaultVerb;
    if (!verb || verb === "deploy" || verb === "help") return help(context);
    return parseVerbArguments(verb, [], NO_FLAGS, context);
  }
  const slackOnly = first.quoted ? undefined : SLACK_ONLY_VERBS.find((v) => v === first.text.replace(/^\//, "").toLowerCase());
  if (slackOnly) {
    const message = `${slackOnly} works in Slack only (it is about your Slack account): type \`/deploy ${slackOnly}\` in Slack.`;
    return { kind: "reply", reply: { type: "error", reasonCode: "bad_command", message } };
  }
  const firstVerb = first.quoted ? undefined : verbOf(first.text);
  let verb: Verb;
  let words: readonly CommandToken[];
  if (firstVerb) {
    verb = firstVerb;
    words = others;
  } else if (context.defaultVerb && !looksLikeMistypedVerb(first, context)) {
    verb = context.defaultVerb;
    words = tokenized.tokens;
  } else {
    return unknownCommand(first.text, context);
  }
  // `/deploy` alone and `/deploy help` are how people ask what the bot can do.
  const asksHelp = words.length === 1 && !words[0]!.quoted && words[0]!.text.toLowerCase() === "help";
  if (verb === "help" || asksHelp || (verb === "deploy" && words.length === 0)) return help(context);
  const extracted = extractCommandFlags(words);
  if (!extracted.ok) return usageError(verb, context, extracted.message);
  return parseVerbArguments(verb, extracted.words, extracted.flags, context);
}

/**
 * Turn the text of any surface into a command, a reply (help or an error that says what to do
 * next) or nothing (a GitHub comment that is not a command). Never throws.
 */
export function parseCommand(text: string, context: ParseContext): ParseResult {
  try {
    return parseCommandUnguarded(typeof text === "string" ? text : "", context);
  } catch {
    // A bad timezone in the context or an engine quirk must not take the surface down with it.
    return { kind: "reply", reply: { type: "error", reasonCode: "bad_command", message: "could not read that command — try help" } };
  }
}
