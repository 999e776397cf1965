import { suggestName } from "./suggest-name.js";
import { showWord } from "./tokenize-command.js";

export type NameKind = "service" | "environment";

/** The configured name the word stands for: exact, else the one name equal ignoring case (phones capitalise). */
export function resolveCommandName(word: string, names: readonly string[]): string | undefined {
  if (names.includes(word)) return word;
  const lower = word.toLowerCase();
  const matches = names.filter((name) => name.toLowerCase() === lower);
  return matches.length === 1 ? matches[0] : undefined;
}

/** Enough names to orient; ~70 services would drown the message. */
const LISTED = 8;

/** `unknown service "donatoins" — did you mean "donations"?`, or the known names when none is close. */
export function unknownNameMessage(kind: NameKind, word: string, names: readonly string[]): string {
  const suggestion = suggestName(word, names);
  if (suggestion) return `unknown ${kind} ${showWord(word)} — did you mean "${suggestion}"?`;
  if (names.length === 0) return `unknown ${kind} ${showWord(word)} — none is configured`;
  const sorted = [...names].sort();
  const more = sorted.length > LISTED ? ` and ${sorted.length - LISTED} more` : "";
  return `unknown ${kind} ${showWord(word)} — known ${kind}s: ${sorted.slice(0, LISTED).join(", ")}${more}`;
}

/** Characters git refuses in ref names (git-check-ref-format), besides control characters. */
const FORBIDDEN_IN_REF = /[\s~^:?*[\\]/;

function hasControlCharacter(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** A plausible branch, tag or sha; the parser does not resolve it, it only keeps junk out of git and AWS. */
export function isValidRef(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 255 &&
    !FORBIDDEN_IN_REF.test(ref) &&
    !hasControlCharacter(ref) &&
    !ref.includes("..") &&
    !ref.includes("@{") &&
    !ref.includes("//") &&
    ref !== "@" &&
    !/^[-/]/.test(ref) &&
    !/(\/|\.|\.lock)$/.test(ref) &&
    !ref.split("/").some((part) => part.startsWith("."))
  );
}
