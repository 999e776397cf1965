import fc from "fast-check";
import type { Command, Verb } from "../../src/core/commands/command.js";
import { parseCommandUnguarded } from "../../src/core/commands/parse-command.js";
import type { ParseContext, ParseResult } from "../../src/core/commands/parse-result.js";
import { ENVIRONMENTS, SERVICES, api, github, slack } from "./parse-command-fixtures.js";

const FALLBACK = "could not read that command";

const CONTEXTS: readonly ParseContext[] = [
  api(),
  slack(),
  slack({ defaultVerb: "lock" }),
  slack({ defaultVerb: "deploys" }),
  github(),
  github({ repoServices: ["donations", "donations-worker"] }),
  github({ repoServices: [] }),
  api({ services: [], environments: [] }),
  slack({ timezone: "Not/AZone" }),
];

const GRAMMAR_TOKENS = [
  "deploy", "/deploy", "rollback", "/rollback", "lock", "unlock", "deploys", "cancel", "windows", "help", "/help", "deplyo",
  ...SERVICES, ...ENVIRONMENTS, "all", "to", "for", "until", "2h", "90m", "1h30m", "0m", "18:00", "25:99", "6pm",
  "2026-03-07", "2026-03-07T12:00", "2026-03-07T12:00-05:00", "1999-01-01T00:00Z", "abc1234", "main", "feature/x", "a..b",
  "--force", "--yes", "-y", "--reason", "--reason=", "--reason=x", "--forse", "-x", "—force", "-", "--",
  '"', "'", "“", "”", "‘", "’", '"quoted words"', "“smart”", "it's", ">", "\n", "\r\n", "\t", "\u00a0", "=", "/", "",
];

const arbitraryText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...GRAMMAR_TOKENS), fc.string({ maxLength: 6 })), { maxLength: 12 }).chain((tokens) =>
    fc.constantFrom(" ", "", "  ", "\n").map((separator) => tokens.join(separator)),
  ),
);

function isWellFormed(result: ParseResult): boolean {
  switch (result.kind) {
    case "ignore":
      return true;
    case "command":
      return typeof result.command.verb === "string";
    case "reply":
      return result.reply.type === "help" ? result.reply.text.length > 0 : result.reply.message.length > 0 && typeof result.reply.reasonCode === "string";
  }
}

describe("parseCommand properties", () => {
  it("never throws and always answers one of the three kinds, on every surface", () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom(...CONTEXTS), (text, context) => {
        const result = parseCommandUnguarded(text, context);
        expect(["command", "reply", "ignore"]).toContain(result.kind);
        expect(isWellFormed(result)).toBe(true);
        // The catch-all is for broken contexts; on good ones it must never be what answers.
        if (context.timezone === "America/New_York") expect(JSON.stringify(result)).not.toContain(FALLBACK);
      }),
      { numRuns: 3000 },
    );
  });

  it("ignores only GitHub text", () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom(...CONTEXTS.filter((c) => c.surface !== "github")), (text, context) => {
        expect(parseCommandUnguarded(text, context).kind).not.toBe("ignore");
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps the until of a parsed lock in the future and the names of any command in the context", () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom(...CONTEXTS), (text, context) => {
        const result = parseCommandUnguarded(text, context);
        if (result.kind !== "command") return;
        const command = result.command as Command & { service?: string; env?: string; until?: string };
        if (command.service !== undefined) expect([...context.services, "all"]).toContain(command.service);
        if (command.env !== undefined) expect([...context.environments, "all"]).toContain(command.env);
        if (command.until !== undefined) expect(Date.parse(command.until)).toBeGreaterThan(context.now.getTime());
      }),
      { numRuns: 2000 },
    );
  });
});

/** A deploy command and one of the many ways a person could type it. */
const typedDeploy = fc
  .record({
    service: fc.constantFrom(...SERVICES),
    env: fc.constantFrom(...ENVIRONMENTS),
    withTo: fc.boolean(),
    ref: fc.option(fc.stringMatching(/^[0-9a-f]{7,40}$/), { nil: undefined }),
    force: fc.boolean(),
    yes: fc.boolean(),
    yesSpelling: fc.constantFrom("--yes", "-y", "--YES"),
    reason: fc.option(fc.array(fc.stringMatching(/^[a-z0-9#]{1,8}$/), { minLength: 1, maxLength: 4 }).map((w) => w.join(" ")), { nil: undefined }),
    reasonStyle: fc.constantFrom('"x"', "'x'", "“x”", "‘x’", '="x"', "=“x”"),
    surface: fc.constantFrom("api", "slack-verb", "slack-default", "github"),
    positions: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
  })
  .map((g) => {
    const positional = [g.service, ...(g.withTo ? ["to"] : []), g.env, ...(g.ref ? [g.ref] : [])];
    const flags: string[][] = [];
    if (g.force) flags.push(["--force"]);
    if (g.yes) flags.push([g.yesSpelling]);
    if (g.reason !== undefined) {
      const quoted = g.reasonStyle.replace("x", g.reason);
      flags.push(quoted.startsWith("=") ? [`--reason${quoted}`] : ["--reason", quoted]);
    }
    const words = [...positional.map((w) => [w])];
    flags.forEach((flag, i) => words.splice(g.positions[i]! % (words.length + 1), 0, flag));
    const verb: Record<typeof g.surface, string[]> = { api: ["deploy"], "slack-verb": ["deploy"], "slack-default": [], github: ["/deploy"] };
    const text = [...verb[g.surface], ...words.flat()].join(" ");
    const context = g.surface === "github" ? github() : g.surface === "api" ? api() : slack({ defaultVerb: "deploy" as Verb });
    const expected: Command = {
      verb: "deploy",
      service: g.service,
      env: g.env,
      ...(g.ref ? { ref: g.ref } : {}),
      force: g.force,
      yes: g.yes,
      ...(g.reason !== undefined ? { reason: g.reason } : {}),
    };
    return { text, context, expected };
  });

describe("parseCommand round trip", () => {
  it("parses every generated deploy back into the command it was typed from", () => {
    fc.assert(
      fc.property(typedDeploy, ({ text, context, expected }) => {
        expect(parseCommandUnguarded(text, context)).toEqual({ kind: "command", command: expected });
      }),
      { numRuns: 2000 },
    );
  });
});
