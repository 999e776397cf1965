import fc from "fast-check";
import { MAX_COMMAND_LENGTH, parseCommandUnguarded } from "../../src/core/commands/parse-command.js";
import type { ParseContext } from "../../src/core/commands/parse-result.js";
import { api, ENVIRONMENTS, github, NOW, SERVICES, slack } from "../core/parse-command-fixtures.js";
import { fuzzRuns } from "./fuzz-runs.js";

/**
 * What test/core/parse-command.property.test.ts leaves out: input as long as a GitHub comment's
 * first line may be (65 536 characters) and as long as a command may be (4 096), and numbers and
 * dates at the edges of what a Date holds.
 */
const CONTEXTS: readonly ParseContext[] = [api(), slack(), slack({ defaultVerb: "lock" }), github()];

function expectWellFormed(text: string, context: ParseContext): void {
  const result = parseCommandUnguarded(text, context);
  expect(["command", "reply", "ignore"]).toContain(result.kind);
  if (result.kind === "reply" && result.reply.type === "error") {
    expect(result.reply.message.length).toBeGreaterThan(0);
    // Echoed words are cut short: a pasted novel does not come back whole.
    expect(result.reply.message.length).toBeLessThan(2000);
  }
}

describe("parseCommand on long input", () => {
  // Characters that open, close and continue quotes and flags, where a careless tokenizer goes quadratic.
  const piece = fc.constantFrom("a", "'", '"', "“", "”", "’", "-", "--reason=", "=", " ", "x=", "—", "\\");
  const longText = fc.tuple(fc.constantFrom("deploy donations prod ", "lock all all ", "/deploy ", "", "rollback events staging --reason "), fc.array(piece, { minLength: 1, maxLength: 6 }), fc.integer({ min: 20_000, max: 65_536 }))
    .map(([prefix, pattern, length]) => prefix + pattern.join("").repeat(Math.ceil(length / Math.max(1, pattern.join("").length))).slice(0, length));

  it("answers a 65 536-character line with a command, a reply or nothing, whatever it repeats", () => {
    // How long such lines take is measured by bench/parser.ts, not asserted here.
    fc.assert(fc.property(longText, fc.constantFrom(...CONTEXTS), expectWellFormed), fuzzRuns(25));
  });

  it("reads lines just under the length limit, whatever they repeat", () => {
    const atLimit = longText.map((text) => text.slice(0, MAX_COMMAND_LENGTH));
    fc.assert(fc.property(atLimit, fc.constantFrom(...CONTEXTS), expectWellFormed), fuzzRuns(50));
  });

  it("never echoes a long word whole, wherever in the command it is", () => {
    const WORDS = ["deploy", "rollback", "lock", "unlock", "deploys", "cancel", "windows", "help", ...SERVICES, ...ENVIRONMENTS, "all", "to", "for", "until", "--force", "--yes", "--reason", "2h", "main"];
    const long = fc.tuple(fc.constantFrom("x", "-", "--", "—", "'", '"', "/", "@", "1", "a.", "%"), fc.integer({ min: 3000, max: 6000 })).map(([unit, n]) => unit + "y".repeat(n));
    const text = fc.tuple(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), long, fc.nat()).map(([words, word, at]) => {
      const position = at % (words.length + 1);
      return [...words.slice(0, position), word, ...words.slice(position)].join(" ");
    });
    fc.assert(fc.property(text, fc.constantFrom(...CONTEXTS), expectWellFormed), fuzzRuns(300));
  });

  it("answers 256 KiB of one word, quoted or not", () => {
    expectWellFormed(`deploy donations prod ${"a".repeat(256 * 1024)}`, api());
    expectWellFormed(`deploy donations prod --reason=${"a'".repeat(128 * 1024)}`, api());
  });
});

describe("parseCommand on numbers and times at the edges", () => {
  const digits = fc.stringMatching(/^[0-9]{1,30}$/);
  const duration = fc.tuple(fc.array(fc.tuple(digits, fc.constantFrom("d", "h", "m", "s", "D", "H", "w", "")), { minLength: 1, maxLength: 4 })).map(([parts]) => parts.map(([n, unit]) => n + unit).join(""));
  const year = fc.oneof(fc.integer({ min: -300_000, max: 300_000 }).map(String), fc.stringMatching(/^[+-]?[0-9]{4,7}$/));
  const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"));
  const time = fc.oneof(
    fc.tuple(year, two, two, two, two, fc.constantFrom("", "Z", "+14:00", "-12:00", "+99:99", ":60", ".9999999999")).map(([y, mo, d, h, mi, tail]) => `${y}-${mo}-${d}T${h}:${mi}${tail}`),
    fc.tuple(two, two).map(([h, m]) => `${h}:${m}`),
    fc.constantFrom("275760-09-13T00:00:00Z", "+275760-09-13T00:00", "-271821-04-20T00:00", "9999-12-31T23:59", "1970-01-01T00:00", "now", "tomorrow 6pm", "Infinity", "1e400"),
  );
  const lockText = fc.tuple(fc.constantFrom(...SERVICES, "all"), fc.constantFrom(...ENVIRONMENTS, "all"), fc.oneof(duration.map((d) => `for ${d}`), time.map((t) => `until ${t}`))).map(([service, env, when]) => `lock ${service} ${env} ${when}`);

  it("never throws, and a lock it accepts ends at a real moment in the future", () => {
    fc.assert(
      fc.property(lockText, fc.constantFrom(...CONTEXTS), (text, context) => {
        expectWellFormed(text, context);
        const result = parseCommandUnguarded(text, context);
        if (result.kind !== "command") return;
        const until = (result.command as { until?: string }).until;
        if (until === undefined) return;
        expect(Number.isFinite(Date.parse(until))).toBe(true);
        expect(Date.parse(until)).toBeGreaterThan(NOW.getTime());
      }),
      fuzzRuns(1500),
    );
  });
});
