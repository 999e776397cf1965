import { tokenizeCommand } from "../core/commands/tokenize-command.js";

export type CommandTextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/** Flags whose next word is their value: it is quoted when it could be read as a flag. */
const VALUE_FLAGS = new Set(["--reason"]);
/** A flag as the server's parser sees one: `-x`, `--word`, or a "smart dash" `—word`. */
const FLAG_LIKE = /^(?:--?|[—–])[^-\s]/;
const INLINE_VALUE = /^(--?[A-Za-z][\w-]*=)([\s\S]*)$/;

const roundTrips = (candidate: string, word: string, quoted: boolean): boolean => {
  const parsed = tokenizeCommand(candidate);
  return parsed.ok && parsed.tokens.length === 1 && parsed.tokens[0]!.text === word && parsed.tokens[0]!.quoted === quoted;
};

/**
 * A shell word as the command grammar (docs/commands.md, Quoting) reads it back unchanged: as is when it has no
 * spaces or quotes that would change its meaning, else in the first quote style that survives
 * the server's tokenizer. `force` quotes even a plain word (a reason that looks like a flag).
 * Undefined when no quoting works (a word with both `" ` and `' ` inside).
 */
export function quoteWord(word: string, force = false): string | undefined {
  if (!force && word !== "" && roundTrips(word, word, false)) return word;
  for (const [open, close] of [['"', '"'], ["'", "'"]] as const) {
    const candidate = `${open}${word}${close}`;
    if (roundTrips(candidate, word, true)) return candidate;
  }
  return undefined;
}

const unquotable = (word: string) =>
  `cannot send ${JSON.stringify(word)}: it mixes both kinds of quotes before spaces. Rephrase it without one kind of quote.`;

/** `--reason=debate prep` → `--reason "debate prep"`: the split form is the grammar's own. */
function quoteInlineValue(word: string): readonly string[] | undefined {
  const match = INLINE_VALUE.exec(word);
  if (!match || !VALUE_FLAGS.has(match[1]!.slice(0, -1).toLowerCase())) return undefined;
  return [match[1]!.slice(0, -1), match[2]!];
}

/**
 * Joins a verb and the shell's words back into one command text, quoting each word that needs
 * it: `lock donations prod --reason "debate prep"`.
 */
export function toCommandText(verb: string, words: readonly string[]): CommandTextResult {
  const parts: string[] = [verb];
  let valueFollows = false;
  for (const original of words) {
    const split: readonly string[] | undefined = valueFollows ? undefined : quoteInlineValue(original);
    const pieces: readonly string[] = split ?? [original];
    for (let index = 0; index < pieces.length; index++) {
      const word: string = pieces[index]!;
      const isValue: boolean = valueFollows || (split !== undefined && index === 1);
      const quoted = quoteWord(word, isValue && (FLAG_LIKE.test(word) || word === ""));
      if (quoted === undefined) return { ok: false, message: unquotable(word) };
      parts.push(quoted);
      valueFollows = !isValue && VALUE_FLAGS.has(word.toLowerCase());
    }
  }
  return { ok: true, text: parts.join(" ") };
}
