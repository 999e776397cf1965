import fc from "fast-check";
import { stringify } from "yaml";
import { parseConfig } from "../../src/config/load-config.js";

/** parseConfig's promise: it never throws, and a failure always comes with located problems. */
function expectOkOrLocatedProblems(text: string): void {
  const result = parseConfig(text, "f.yml");
  if (result.ok) {
    expect(typeof result.config.timezone).toBe("string");
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) expect(problem).toMatch(/^f\.yml:\d+: \S/);
  // Only an internal failure would produce this; it must not happen on any input.
  expect(result.problems.join("\n")).not.toContain("please report this as a bug");
}

const json = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof(arb, json, fc.constant(null));
const envName = fc.constantFrom("staging", "prod", "all", "Prod", "qa", "deploy");
const serviceName = fc.constantFrom("donations", "events", "deploy", "all", "Bad Name", "staging", "__proto__", "constructor");

/** Objects shaped like whistlestop.yml, with plausible and implausible values mixed in. */
const configLike = fc.record(
  {
    timezone: maybe(fc.constantFrom("UTC", "America/New_York", "Mars/Olympus")),
    defaults: maybe(fc.record({ pipeline: maybe(fc.constantFrom("{service}-{env}", "bad name!")), concurrency: maybe(fc.constantFrom("queue", "wait")) }, { requiredKeys: [] })),
    environments: maybe(
      fc.dictionary(envName, maybe(fc.record({ promote_from: maybe(envName), confirm: maybe(fc.boolean()), deployers: maybe(fc.array(fc.string())), typo: json }, { requiredKeys: [] }))),
    ),
    services: maybe(
      fc.dictionary(
        serviceName,
        maybe(
          fc.record(
            {
              repo: maybe(fc.constantFrom("hfa/x", "nope")),
              on_merge: maybe(fc.array(envName)),
              stages: maybe(fc.array(fc.constantFrom("Source", "Deploy", "Bake"))),
              environments: maybe(fc.dictionary(envName, maybe(fc.record({ promote_from: maybe(envName), deploy_stage: maybe(fc.string()) }, { requiredKeys: [] })))),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
    ),
    windows: maybe(
      fc.array(
        maybe(
          fc.record(
            {
              name: maybe(fc.string()),
              kind: maybe(fc.constantFrom("deny", "allow", "block")),
              start: maybe(fc.constantFrom("2026-11-03T18:00", "2026-02-30T10:00", "soon")),
              end: maybe(fc.constantFrom("2026-11-04T06:00", "2026-11-01T00:00")),
              cron: maybe(fc.constantFrom("0 20 * * 1-5", "0 25 * * *", "@reboot", "2026-01-01T00:00")),
              duration: maybe(fc.constantFrom("4h", "0m", "forever")),
              timezone: maybe(fc.constantFrom("UTC", "Nowhere/Land")),
              environments: maybe(fc.array(envName)),
            },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 3 },
      ),
    ),
    people: maybe(fc.dictionary(fc.constantFrom("U024BE7LH", "octocat"), maybe(fc.constantFrom("octocat", "not a login")))),
    admins: maybe(fc.array(fc.constantFrom("@hfa/sre", "alice", "slack:U123", "two words"))),
    unknown_key: json,
  },
  { requiredKeys: [] },
);

describe("parseConfig never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), expectOkOrLocatedProblems), { numRuns: 300 });
  });

  it("on YAML-looking text built from config keys and symbols", () => {
    const token = fc.constantFrom("environments:", "services:", "windows:", "- ", "  ", ": ", "{", "}", "[", "]", "&a ", "*a", "\n", "prod", "'", '"', "#", "!!str ", "? ");
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }).map((t) => t.join("")), expectOkOrLocatedProblems), { numRuns: 300 });
  });

  it("on arbitrary JSON values serialised to YAML", () => {
    fc.assert(fc.property(json, (value) => expectOkOrLocatedProblems(stringify(value))), { numRuns: 300 });
  });

  it("on config-shaped objects serialised to YAML", () => {
    fc.assert(fc.property(configLike, (value) => expectOkOrLocatedProblems(stringify(value))), { numRuns: 200 });
  });
});
