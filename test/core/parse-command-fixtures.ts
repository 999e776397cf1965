import type { Command } from "../../src/core/commands/command.js";
import { parseCommand } from "../../src/core/commands/parse-command.js";
import type { ParseContext, ParseResult } from "../../src/core/commands/parse-result.js";
import type { ReasonCode } from "../../src/core/policies/decision.js";

/** Fri 6 Mar 2026 10:00 in New York (EST, two days before the spring-forward switch). */
export const NOW = new Date("2026-03-06T15:00:00Z");
export const SERVICES = ["donations", "donations-worker", "events", "mailer"];
export const ENVIRONMENTS = ["staging", "prod"];

export const slack = (extra: Partial<ParseContext> = {}): ParseContext => ({
  surface: "slack",
  services: SERVICES,
  environments: ENVIRONMENTS,
  defaultVerb: "deploy",
  timezone: "America/New_York",
  now: NOW,
  ...extra,
});
export const api = (extra: Partial<ParseContext> = {}): ParseContext => slack({ surface: "api", defaultVerb: undefined, ...extra });
export const github = (extra: Partial<ParseContext> = {}): ParseContext =>
  slack({ surface: "github", defaultVerb: undefined, repoServices: ["donations"], ...extra });

/** What a case expects: a command, an error (code + fragments of its message), help, or nothing. */
export type Expected =
  | { readonly command: Command }
  | { readonly error: ReasonCode; readonly says?: readonly string[] }
  | { readonly help: readonly string[] }
  | { readonly ignore: true };

export type Case = readonly [text: string, context: ParseContext, expected: Expected];

export function check(result: ParseResult, expected: Expected): void {
  if ("command" in expected) {
    expect(result).toEqual({ kind: "command", command: expected.command });
  } else if ("ignore" in expected) {
    expect(result).toEqual({ kind: "ignore" });
  } else if ("help" in expected) {
    expect(result.kind === "reply" && result.reply.type).toBe("help");
    const text = result.kind === "reply" && result.reply.type === "help" ? result.reply.text : "";
    for (const fragment of expected.help) expect(text).toContain(fragment);
  } else {
    expect(result).toMatchObject({ kind: "reply", reply: { type: "error", reasonCode: expected.error } });
    const message = result.kind === "reply" && result.reply.type === "error" ? result.reply.message : "";
    for (const fragment of expected.says ?? []) expect(message).toContain(fragment);
  }
}

export const runCase = ([text, context, expected]: Case): void => check(parseCommand(text, context), expected);

export const deploy = (service: string, env: string, extra: Partial<Command> = {}): { command: Command } => ({
  command: { verb: "deploy", service, env, force: false, yes: false, ...extra } as Command,
});
