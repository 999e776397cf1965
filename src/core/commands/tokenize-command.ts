/** One word of a command. */
export interface CommandToken {
  readonly text: string;
  /** Quoted text is never a flag or keyword: `--reason "--force was needed"` or a reason "to staging". */
  readonly quoted: boolean;
}

export type TokenizeResult =
  | { readonly ok: true; readonly tokens: readonly CommandToken[] }
  | { readonly ok: false; readonly message: string };

/** Slack and macOS turn straight quotes into typographic ones; all of them group words. */
const DOUBLE_QUOTES = "\"“”„";
const SINGLE_OPENERS = "'‘";
const SINGLE_CLOSERS = "'’";

function closersFor(opener: string): string | undefined {
  if (DOUBLE_QUOTES.includes(opener)) return DOUBLE_QUOTES;
  if (SINGLE_OPENERS.includes(opener)) return SINGLE_CLOSERS;
  return undefined;
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/**
 * A quote opens only at the start of a word (or right after `--flag=`), and closes only where a
 * word ends, so apostrophes inside words stay text: `lock donations prod it's broken`,
 * `--reason 'don't deploy'`.
 */
function quoteMayOpen(word: WordSoFar): boolean {
  return word.text === "" || ("-—–".includes(word.first) && word.last === "=" && word.equalsSigns === 1);
}

/**
 * The word being built, with what quoteMayOpen needs kept up to date as it grows: reading the
 * text itself for every character made a 65 000-character word (a GitHub comment) quadratic.
 */
class WordSoFar {
  text = "";
  first = "";
  last = "";
  equalsSigns = 0;

  append(part: string): void {
    if (part === "") return;
    if (this.text === "") this.first = part[0]!;
    this.last = part[part.length - 1]!;
    for (const ch of part) if (ch === "=") this.equalsSigns++;
    this.text += part;
  }
}

function findCloser(text: string, from: number, closers: string): number {
  for (let i = from; i < text.length; i++) {
    if (closers.includes(text[i]!) && (i + 1 === text.length || isSpace(text[i + 1]))) return i;
  }
  return -1;
}

/** Split a command into words: whitespace separates, quotes group. An unterminated quote is an error. */
export function tokenizeCommand(text: string): TokenizeResult {
  const tokens: CommandToken[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const word = new WordSoFar();
    let quoted = false;
    while (i < text.length && !isSpace(text[i])) {
      const ch = text[i]!;
      const closers = quoteMayOpen(word) ? closersFor(ch) : undefined;
      if (!closers) {
        word.append(ch);
        i++;
        continue;
      }
      const end = findCloser(text, i + 1, closers);
      if (end < 0) return { ok: false, message: `unterminated quote ${ch} — close it, e.g. --reason "debate prep"` };
      quoted = word.text === "";
      word.append(text.slice(i + 1, end));
      i = end + 1;
    }
    tokens.push({ text: word.text, quoted });
  }
  return { ok: true, tokens };
}

/** A word as messages show it: quoted, and cut short so a pasted novel does not fill the channel. */
export function showWord(text: string): string {
  const chars = [...text];
  return `"${chars.length > 40 ? `${chars.slice(0, 39).join("")}…` : text}"`;
}
