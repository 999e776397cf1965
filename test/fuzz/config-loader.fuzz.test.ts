import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { loadConfigFile, MAX_CONFIG_BYTES, parseConfig } from "../../src/config/load-config.js";
import { exampleConfigText } from "../kit/test-app.js";
import { fuzzRuns } from "./fuzz-runs.js";
import { aliasBomb, renderYaml, yamlTree } from "./yaml-arbitraries.js";

/**
 * What test/config/parse-config-property.test.ts leaves out: YAML built from anchors, aliases,
 * tags and both collection styles; alias bombs; nesting deeper than any parser's stack; files
 * far larger than a configuration. Each must end in located problems, never in a throw.
 */
function problemsOf(text: string): string[] {
  // An alias bomb that got through would run for minutes: the test's timeout catches that.
  const result = parseConfig(text, "f.yml");
  if (result.ok) return [];
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems.slice(0, 100)) {
    expect(problem).toMatch(/^f\.yml:\d+: \S/);
    // One line each, short enough to read in a terminal even when the file holds a pasted blob.
    expect(problem).not.toMatch(/[\r\n]/);
    expect(problem.length).toBeLessThan(1000);
  }
  expect(result.problems.join("\n")).not.toContain("please report this as a bug");
  return result.problems;
}

describe("parseConfig on YAML built from anchors, aliases, tags and both styles", () => {
  it("answers every document with a config or located problems", () => {
    fc.assert(fc.property(yamlTree, (tree) => void problemsOf(renderYaml(tree))), fuzzRuns(300));
  });

  it("answers the example config with any one line replaced, removed or repeated", () => {
    const lines = exampleConfigText().split("\n");
    const edit = fc.record({ at: fc.nat({ max: lines.length - 1 }), how: fc.constantFrom("replace", "remove", "repeat", "indent", "outdent"), tree: yamlTree });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const edited = [...lines];
        for (const { at, how, tree } of edits) {
          const line = edited[at] ?? "";
          if (how === "replace") edited[at] = `${line.match(/^\s*/)![0]}${renderYaml(tree).split("\n")[0]}`;
          else if (how === "remove") edited.splice(at, 1);
          else if (how === "repeat") edited.splice(at, 0, line);
          else if (how === "indent") edited[at] = `  ${line}`;
          else edited[at] = line.replace(/^ {1,2}/, "");
        }
        problemsOf(edited.join("\n"));
      }),
      fuzzRuns(150),
    );
  });
});

describe("parseConfig on alias bombs", () => {
  it("refuses alias expansions past its limit with a problem naming aliases", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.constantFrom("top", "services", "merge") as fc.Arbitrary<"top" | "services" | "merge">, (levels, width, placement) => {
        const problems = problemsOf(aliasBomb(levels, width, placement));
        // Anything that expands to more than a few hundred copies must be refused for its aliases.
        if (width ** levels > 1000) expect(problems.join("\n")).toMatch(/aliases \(\*name\) more than 100 times/);
      }),
      fuzzRuns(60),
    );
  });

  it("refuses the classic nine-by-nine billion laughs", () => {
    expect(problemsOf(aliasBomb(9, 9, "top"))).toEqual(["f.yml:1: uses aliases (*name) more than 100 times once expanded; write the repeated settings out instead of nesting aliases"]);
  });
});

describe("parseConfig on deep and huge documents", () => {
  it("says a document nested too deeply is too deep, instead of overflowing the stack", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom("flow-seq", "flow-map", "block-map", "block-seq"), (depth, style) => {
        const text =
          style === "flow-seq" ? `services: ${"[".repeat(depth)}${"]".repeat(depth)}`
          : style === "flow-map" ? `services: ${"{a: ".repeat(depth)}1${"}".repeat(depth)}`
          : style === "block-map" ? Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${" ".repeat(i)}k:`).join("\n")
          : `services:\n${Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${" ".repeat(i)}-`).join("\n")} x`;
        const problems = problemsOf(text);
        expect(problems.length).toBeGreaterThan(0);
        if (style.startsWith("flow") && depth >= 5000) expect(problems).toContainEqual(expect.stringContaining("nested too deeply"));
      }),
      fuzzRuns(12),
    );
  });

  it("refuses a file over the size limit without parsing it", () => {
    const problems = problemsOf(`timezone: UTC\n# ${"x".repeat(MAX_CONFIG_BYTES)}`);
    expect(problems).toEqual([expect.stringMatching(/^f\.yml:1: the file is 257 KiB; Whistlestop reads configurations up to 256 KiB/)]);
  });

  it("answers a file just under the limit holding ~18 000 keys in one mapping (bench/input-parsing.ts times it)", () => {
    const fill = (head: string, line: (i: number) => string): string => {
      let text = head;
      for (let i = 0; text.length + line(i).length + 1 < MAX_CONFIG_BYTES - 64; i++) text += `${line(i)}\n`;
      return text;
    };
    // The yaml package's own duplicate-key check compares every key with every other: ~15 s here.
    const head = "environments: {staging: {}}\nservices: {a: {repo: a/b}}\nx:\n";
    expect(problemsOf(fill(head, (i) => `  k${i}: ${i}`))).toEqual([expect.stringMatching(/unknown key "x"/)]);
    expect(problemsOf(fill(head, (i) => `  k: ${i}`))[0]).toMatch(/the key "k" appears twice in one mapping/);
  });

  it("keeps a pasted blob out of the problem it causes, and line breaks in keys out of its line", () => {
    const [problem] = problemsOf(`timezone: ${"x".repeat(100_000)}\nenvironments: {staging: {}}\nservices: {a: {repo: a/b}}`);
    expect(problem).toMatch(/^f\.yml:1: timezone: unknown time zone "x{100}…"/);
    const problems = problemsOf(`${"k".repeat(1000)}: 1\n"a\\nb\\u2028": 2\nenvironments: {staging: {}}\nservices:\n  ${"s".repeat(1000)}: {repo: a/b}`);
    expect(problems[0]).toMatch(/^f\.yml:1: k{100}…: unknown key "k{100}…"/);
    expect(problems).toContainEqual(expect.stringContaining('unknown key "a\\nb\\u2028"'));
  });
});

describe("loadConfigFile on files that are not text", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "whistlestop-fuzz-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("answers bytes of any kind with located problems", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const path = join(dir, "whistlestop.yml");
        await writeFile(path, bytes);
        const result = await loadConfigFile(path);
        if (!result.ok) for (const problem of result.problems) expect(problem.startsWith(`${path}:`)).toBe(true);
      }),
      fuzzRuns(100),
    );
  });

  it("says a directory is not a configuration file", async () => {
    const result = await loadConfigFile(dir);
    expect(result).toEqual({ ok: false, problems: [expect.stringContaining("cannot read the configuration file")] });
  });
});
