import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { PROJECT_ROOT } from "./doc-sections.js";

/**
 * The user documentation points at real things: every relative link reaches a file (and its
 * heading, when it names one), and every repository path a document quotes exists. Test
 * files named by docs/reliability.md must exist, so the promises there are proved by real tests.
 */

const DOCS = ["docs/configuration.md", "docs/commands.md", "docs/getting-started.md", "docs/operations.md", "docs/architecture.md", "docs/reliability.md", "docs/deploying.md", "docs/testing.md"];

const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), "utf8");

/** Text outside fenced code blocks: examples in code are not links. */
const prose = (markdown: string): string => markdown.replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's heading anchors: lower case, punctuation dropped, spaces become dashes, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}

interface Link {
  readonly doc: string;
  readonly target: string;
}

function relativeLinks(doc: string): Link[] {
  const links = [...prose(read(doc)).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return links.filter((target) => !/^[a-z]+:/i.test(target)).map((target) => ({ doc, target }));
}

function brokenLink({ doc, target }: Link): string | undefined {
  const [file, anchor] = target.split("#") as [string, string | undefined];
  const path = file === "" ? doc : normalize(join(dirname(doc), file));
  if (!existsSync(join(PROJECT_ROOT, path))) return `${doc}: ${target} (no file ${path})`;
  if (anchor && path.endsWith(".md") && !anchorsOf(read(path)).has(anchor)) return `${doc}: ${target} (no heading #${anchor} in ${path})`;
  return undefined;
}

/** `src/…`, `test/…`, `examples/…` paths quoted in code spans. */
function quotedPaths(doc: string): string[] {
  const spans = [...read(doc).matchAll(/`((?:src|test|examples|bin|docs)\/[^`\s]*)`/g)].map((m) => m[1]!);
  return [...new Set(spans.map((path) => path.replace(/\/$/, "")))];
}

describe("the documents point at real things", () => {
  it("has every document", () => {
    expect(DOCS.filter((doc) => !existsSync(join(PROJECT_ROOT, doc)))).toEqual([]);
  });

  it("every relative link reaches a file and, when it names one, a heading", () => {
    const broken = DOCS.flatMap(relativeLinks).flatMap((link) => brokenLink(link) ?? []);
    expect(broken).toEqual([]);
  });

  it("every repository path quoted in the documents exists", () => {
    const missing = DOCS.flatMap((doc) => quotedPaths(doc).filter((path) => !existsSync(join(PROJECT_ROOT, path))).map((path) => `${doc}: ${path}`));
    expect(missing).toEqual([]);
  });

  it("docs/reliability.md names test files that exist, for each of its seven promises and for bad input", () => {
    const doc = read("docs/reliability.md");
    const sections = doc.split(/^## /m).slice(1);
    expect(sections.map((section) => section.split(".")[0])).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    const proved = sections.slice(0, 8);
    const withoutTests = proved.filter((section) => !/`test\/[^`]+\.test\.ts`/.test(section)).map((section) => section.split("\n")[0]);
    expect(withoutTests).toEqual([]);
    // Speed is measured by the benchmarks, never asserted by a test.
    expect(sections[8]).toMatch(/npm run bench/);
    const named = [...doc.matchAll(/`(test\/[^`]+\.ts)`/g)].map((m) => m[1]!);
    expect(named.filter((path) => !existsSync(join(PROJECT_ROOT, path)))).toEqual([]);
  });
});
