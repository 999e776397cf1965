import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { USAGE_TEXT } from "../../src/cli/usage-text.js";
import { VERBS } from "../../src/core/commands/command.js";
import { PROJECT_ROOT, readDoc, rowsOfSection, sectionOf, unionMembers } from "./doc-sections.js";

/**
 * docs/commands.md must name everything a user or a tool can meet: every verb, every reason
 * code, every outcome, every server-sent event, every CLI option and exit code, every API route.
 * The lists come from the code, so a new one fails this test until it is documented.
 */

const doc = readDoc("commands.md");
const REASON_CODES = unionMembers("src/core/policies/decision.ts", "ReasonCode");
const OUTCOMES = unionMembers("src/core/commands/command-result.ts", "Outcome");
const EVENT_TYPES = unionMembers("src/core/ports/notifier.ts", "DeployEventType");

/** `server.route("POST", "/api/v1/commands", …)` in the HTTP adapter. */
function apiRoutes(): string[] {
  const source = readFileSync(join(PROJECT_ROOT, "src/adapters/http/api-routes.ts"), "utf8");
  return [...source.matchAll(/\.route\("([A-Z]+)",\s*"([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
}

const notIn = (items: readonly string[], has: (item: string) => boolean): string[] => items.filter((item) => !has(item));

describe("docs/commands.md documents every command and code", () => {
  it("reads the lists it checks from the code", () => {
    expect(REASON_CODES).toEqual(expect.arrayContaining(["locked", "window_closed", "busy", "confirmation_required"]));
    expect(OUTCOMES).toEqual(expect.arrayContaining(["started", "queued", "refused"]));
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(["started", "succeeded"]));
    expect(apiRoutes()).toEqual(expect.arrayContaining(["POST /api/v1/commands"]));
  });

  it("has a section for every verb", () => {
    expect(notIn(VERBS, (verb) => sectionOf(doc, verb) !== undefined)).toEqual([]);
  });

  it("explains every reason code in the reason codes table", () => {
    const rows = rowsOfSection(doc, "Reason codes");
    const unexplained = REASON_CODES.filter((code) => {
      const row = rows.get(code);
      return !row || !row.cells.get("what it means") || !row.cells.get("what to do");
    });
    expect(unexplained).toEqual([]);
  });

  it("lists every outcome of a command result", () => {
    const rows = rowsOfSection(doc, "The command result");
    expect(notIn(OUTCOMES, (outcome) => rows.has(outcome))).toEqual([]);
  });

  it("names every server-sent event type", () => {
    const section = (sectionOf(doc, "Server-sent events") ?? []).join("\n");
    expect(notIn(EVENT_TYPES, (type) => section.includes(`\`${type}\``))).toEqual([]);
  });

  it("documents every option the CLI's usage text shows", () => {
    const options = [...new Set([...USAGE_TEXT.matchAll(/(?<![\w-])(--?[a-z][a-z-]*)/g)].map((m) => m[1]!))];
    expect(options.length).toBeGreaterThan(5);
    expect(notIn(options, (option) => doc.includes(`\`${option}`))).toEqual([]);
  });

  it("documents every CLI exit code", () => {
    const rows = rowsOfSection(doc, "CLI");
    expect(notIn(Object.values(ExitCode).map(String), (code) => rows.has(code))).toEqual([]);
  });

  it("documents every HTTP API route", () => {
    expect(notIn(apiRoutes(), (route) => doc.includes(`\`${route}`))).toEqual([]);
  });
});
