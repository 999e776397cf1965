import { parseArgs } from "node:util";
import { suggestName } from "../core/commands/suggest-name.js";
import { toCommandText } from "./command-text.js";
import { parseAuditArgs, type AuditRequest } from "./run-audit.js";

/** Subcommands that are commands of the HTTP API: sent as command text to POST /api/v1/commands. */
export const CLIENT_VERBS = ["deploy", "rollback", "lock", "unlock", "deploys", "cancel", "windows", "approve", "reject", "diff", "status", "help"] as const;
export type ClientVerb = (typeof CLIENT_VERBS)[number];
const SUBCOMMANDS = [...CLIENT_VERBS, "audit", "start", "sandbox", "emulator", "config", "migrate", "backup", "sessions"] as const;

export interface CliFlags {
  readonly server?: string;
  readonly token?: string;
  readonly json: boolean;
  /** Stream progress after a deploy starts (default), or with `status --follow`. */
  readonly follow: boolean;
  readonly help: boolean;
}

export type CliInvocation =
  | { readonly kind: "usage" }
  | { readonly kind: "start" }
  | { readonly kind: "sandbox" }
  | { readonly kind: "sandbox-alarm"; readonly alarm: string; readonly state: string }
  | { readonly kind: "emulator" }
  | { readonly kind: "config-check"; readonly file?: string }
  | { readonly kind: "migrate" }
  | { readonly kind: "backup"; readonly file: string }
  /** Dashboard sessions: list them, or revoke one (ds-…), a login's, or all. */
  | { readonly kind: "sessions"; readonly revoke?: string }
  | { readonly kind: "status"; readonly deployId: string }
  | { readonly kind: "audit"; readonly request: AuditRequest }
  | { readonly kind: "command"; readonly verb: ClientVerb; readonly text: string };

export type ParsedCli =
  | { readonly ok: true; readonly invocation: CliInvocation; readonly flags: CliFlags }
  | { readonly ok: false; readonly message: string };

const OPTIONS = {
  server: { type: "string" },
  token: { type: "string" },
  json: { type: "boolean" },
  follow: { type: "boolean" },
  "no-follow": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const DEPLOY_ID = /^[a-zA-Z0-9-]{1,128}$/;
const STATUS_USAGE = "usage: whistlestop status <service>   (every environment)\n       whistlestop status <deploy-id> [--follow]   (one deploy; ids start with d-)";

/**
 * Splits argv into the CLI's own options (anywhere on the line) and the subcommand's words, which
 * keep their order and pass through untouched (`--force`, `--reason "…"`, `-y` belong to the
 * command grammar). `--` ends the CLI's options: what follows is all command words.
 */
export function parseCliArgs(args: readonly string[]): ParsedCli {
  const { tokens } = parseArgs({ args: [...args], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const consumed = new Set<number>();
  const flags: { server?: string; token?: string; json: boolean; follow?: boolean; help: boolean } = { json: false, help: false };
  for (const token of tokens) {
    if (token.kind === "option-terminator") {
      consumed.add(token.index);
      break;
    }
    if (token.kind !== "option" || !(token.name in OPTIONS)) continue;
    const raw = args[token.index]!;
    // In a group like `-yh` the whole word stays a command word.
    if (raw !== token.rawName && !raw.startsWith(`${token.rawName}=`)) continue;
    consumed.add(token.index);
    const definition = OPTIONS[token.name as keyof typeof OPTIONS];
    if (definition.type === "string") {
      if (token.value === undefined) return { ok: false, message: `${token.rawName} needs a value, e.g. ${token.rawName} ${token.name === "server" ? "http://127.0.0.1:3000" : "<token>"}` };
      if (!token.inlineValue) consumed.add(token.index + 1);
      flags[token.name as "server" | "token"] = token.value;
      continue;
    }
    if (token.value !== undefined) return { ok: false, message: `${token.rawName} takes no value` };
    if (token.name === "json") flags.json = true;
    else if (token.name === "help") flags.help = true;
    else flags.follow = token.name === "follow";
  }

  const words = args.filter((_, index) => !consumed.has(index));
  const [subcommand, ...rest] = words;
  const done = (invocation: CliInvocation): ParsedCli => ({ ok: true, invocation, flags: { ...flags, follow: flags.follow ?? invocation.kind === "command" } });
  if (subcommand === undefined || flags.help) return done({ kind: "usage" });
  const noArguments = (kind: "start" | "sandbox" | "emulator"): ParsedCli =>
    rest.length ? { ok: false, message: `"whistlestop ${kind}" takes no arguments; it reads its settings from the environment (see docs/getting-started.md).` } : done({ kind });

  switch (subcommand) {
    case "sandbox":
      if (rest[0] === "alarm") {
        const [, alarm, state] = rest;
        if (rest.length !== 3 || !alarm || !state || !["ALARM", "OK", "INSUFFICIENT_DATA"].includes(state.toUpperCase())) {
          return { ok: false, message: "usage: whistlestop sandbox alarm <name> ALARM|OK   (sets a CloudWatch alarm's state in the running sandbox)" };
        }
        return done({ kind: "sandbox-alarm", alarm, state: state.toUpperCase() });
      }
      return noArguments(subcommand);
    case "start":
    case "emulator":
      return noArguments(subcommand);
    case "migrate":
      return rest.length ? { ok: false, message: '"whistlestop migrate" takes no arguments; it migrates the store DATABASE_URL or WHISTLESTOP_DB names.' } : done({ kind: "migrate" });
    case "backup":
      if (rest.length !== 1) return { ok: false, message: "usage: whistlestop backup <file>   (copies the live SQLite store into a new file)" };
      return done({ kind: "backup", file: rest[0]! });
    case "sessions":
      if (rest.length === 0) return done({ kind: "sessions" });
      if (rest[0] !== "revoke" || rest.length !== 2) return { ok: false, message: "usage: whistlestop sessions [revoke <login | session id | all>]   (the dashboard's sign-ins, in the store)" };
      return done({ kind: "sessions", revoke: rest[1]! });
    case "config":
      if (rest[0] !== "check" || rest.length > 2) return { ok: false, message: 'usage: whistlestop config check [file]' };
      return done({ kind: "config-check", ...(rest[1] !== undefined ? { file: rest[1] } : {}) });
    case "audit": {
      const audit = parseAuditArgs(rest);
      return audit.ok ? done({ kind: "audit", request: audit.request }) : { ok: false, message: audit.message };
    }
    case "status": {
      const [word, ...extra] = rest;
      if (word === undefined || extra.length) return { ok: false, message: STATUS_USAGE };
      // Every deploy id starts with "d-"; any other word is a service, whose status is a command of the API.
      if (!word.startsWith("d-")) {
        if (flags.follow) return { ok: false, message: `--follow follows one deploy: give its id (d-…), not "${word}".\n${STATUS_USAGE}` };
        break;
      }
      if (!DEPLOY_ID.test(word)) return { ok: false, message: `"${word}" is not a deploy id (letters, digits and dashes). "whistlestop deploys" lists recent deploys.` };
      return done({ kind: "status", deployId: word });
    }
  }
  if (!(CLIENT_VERBS as readonly string[]).includes(subcommand)) {
    const suggestion = suggestName(subcommand, SUBCOMMANDS);
    return { ok: false, message: `unknown command "${subcommand}"${suggestion ? ` — did you mean "${suggestion}"?` : ""} Run "whistlestop --help" for the list.` };
  }
  const text = toCommandText(subcommand, rest);
  if (!text.ok) return { ok: false, message: text.message };
  return done({ kind: "command", verb: subcommand as ClientVerb, text: text.text });
}
