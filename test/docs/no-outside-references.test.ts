import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT } from "./doc-sections.js";

/**
 * The repository stands on its own: comments, tests and docs state a rule or point at docs/,
 * never at a specification file that is not in the repository. A citation of it ("SPEC" followed
 * by a section sign, or "SPEC" as a word) means nothing to someone who cloned the repository.
 */

const ROOTS = ["src", "test", "docs", "examples", "bench", "bin", "scripts", "README.md", "action.yml", "app.yml"];
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist"]);
const THIS_FILE = relative(PROJECT_ROOT, fileURLToPath(import.meta.url));

/** "SPEC" as a word, in capitals: not `spec` variables, not names like SPEC_FILE. */
const CITATION = /\bSPEC\b/;

function filesUnder(path: string): string[] {
  const absolute = join(PROJECT_ROOT, path);
  if (!statSync(absolute, { throwIfNoEntry: false })) return [];
  if (statSync(absolute).isFile()) return [path];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => !(entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

describe("references outside the repository", () => {
  const files = ROOTS.flatMap(filesUnder).filter((path) => path !== THIS_FILE);

  it("finds the files it checks", () => {
    expect(files).toContain(join("src", "config", "schema.ts"));
    expect(files).toContain(join("docs", "configuration.md"));
    expect(files).toContain("README.md");
  });

  it("no source, test, doc, example or bench file cites SPEC", () => {
    const citations = files.flatMap((path) =>
      readFileSync(join(PROJECT_ROOT, path), "utf8")
        .split("\n")
        .flatMap((line, index) => (CITATION.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(citations).toEqual([]);
  });
});
