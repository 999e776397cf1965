import { suggestName } from "./suggest-name.js";
import type { CommandToken } from "./tokenize-command.js";

export type FlagName = "force" | "yes" | "reason";

export interface CommandFlags {
  readonly force: boolean;
  readonly yes: boolean;
  readonly reason?: string;
  /** Flags as typed, so a verb can refuse the ones it does not take. */
  readonly given: readonly FlagName[];
}

export type ExtractFlagsResult =
  | { readonly ok: true; readonly flags: CommandFlags; readonly words: readonly CommandToken[] }
  | { readonly ok: false; readonly message: string };

export const NO_FLAGS: CommandFlags = { force: false, yes: false, given: [] };

const FLAGS: Readonly<Record<string, FlagName>> = { "--force": "force", "--yes": "yes", "-y": "yes", "--reason": "reason" };
const FLAG_LIST = '--force, --yes (-y), --reason "…"';

/** `-x`, `--word`; a lone "-" or "--" is text (a reason may contain one). */
const FLAG_LIKE = /^--?[^-\s]/;

/** macOS "smart dashes" turn `--force` into `—force` in Slack; read it as typed. */
function normalizeDashes(text: string): string {
  return text.replace(/^[—–](?=[^-\s])/, "--");
}

export function isFlagLike(token: CommandToken): boolean {
  return !token.quoted && FLAG_LIKE.test(normalizeDashes(token.text));
}

/** A word echoed inside a message is cut like showWord does, without its quotes (a flag has none; an example adds its own). */
const shortened = (typed: string): string => {
  const chars = [...typed];
  return chars.length > 40 ? `${chars.slice(0, 39).join("")}…` : typed;
};

function unknownFlag(typed: string): string {
  typed = shortened(typed);
  const suggestion = suggestName(typed.replace(/^-+/, ""), ["force", "yes", "reason"]);
  return suggestion
    ? `unknown flag ${typed} — did you mean --${suggestion}?`
    : `unknown flag ${typed} — the flags are ${FLAG_LIST}`;
}

/** Take the flags out of the words, wherever they are. */
export function extractCommandFlags(tokens: readonly CommandToken[]): ExtractFlagsResult {
  const words: CommandToken[] = [];
  const given = new Set<FlagName>();
  let reason: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isFlagLike(token)) {
      words.push(token);
      continue;
    }
    const text = normalizeDashes(token.text);
    const eq = text.indexOf("=");
    const typedName = eq < 0 ? text : text.slice(0, eq);
    const flag = FLAGS[typedName.toLowerCase()];
    if (!flag) return { ok: false, message: unknownFlag(typedName) };
    if (flag !== "reason") {
      if (eq >= 0) return { ok: false, message: `${typedName} takes no value — write just ${typedName}` };
      given.add(flag);
      continue;
    }
    if (given.has("reason")) return { ok: false, message: "give --reason once" };
    let value: string | undefined;
    if (eq >= 0) {
      value = text.slice(eq + 1);
    } else {
      const next = tokens[i + 1];
      const after = tokens[i + 2];
      // `--reason debate prep` would take "prep" as a ref or a lock's reason: make the user say which.
      if (next && !next.quoted && after && !isFlagLike(after) && !isFlagLike(next)) {
        return { ok: false, message: `quote a reason of several words: --reason "${shortened(next.text)} ${shortened(after.text)}", or put --reason last` };
      }
      if (next && !isFlagLike(next)) {
        value = next.text;
        i++;
      }
    }
    value = value?.trim();
    if (!value) return { ok: false, message: '--reason needs a text: --reason "debate prep"' };
    given.add("reason");
    reason = value;
  }
  const flags: CommandFlags = {
    force: given.has("force"),
    yes: given.has("yes"),
    given: [...given],
    ...(reason === undefined ? {} : { reason }),
  };
  return { ok: true, flags, words };
}
